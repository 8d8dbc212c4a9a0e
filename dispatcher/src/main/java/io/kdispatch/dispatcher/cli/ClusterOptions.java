package io.kdispatch.dispatcher.cli;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import picocli.CommandLine.Option;

/** Where the cluster and the schema registry are: shared by every command that talks to Kafka. */
final class ClusterOptions {
    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT",
            description = "Kafka bootstrap servers.")
    String bootstrapServers;

    @Option(names = "--schema-registry-url", required = true, paramLabel = "URL",
            description = "Confluent-compatible schema registry URL (e.g. http://host:8080/apis/ccompat/v7).")
    String schemaRegistryUrl;

    @Option(names = "--schema-registry-user-info", paramLabel = "USER:PASSWORD",
            description = "Basic-auth credentials for the schema registry.")
    String registryUserInfo;

    @Option(names = "--schema-registry-token", paramLabel = "TOKEN",
            description = "Bearer token for the schema registry.")
    String registryToken;

    @Option(names = "--topic-prefix", defaultValue = Topics.DEFAULT_PREFIX, paramLabel = "PREFIX",
            description = "Prefix of every topic name (default: ${DEFAULT-VALUE}).")
    String topicPrefix;

    SerdeConfig serdes() {
        return new SerdeConfig(schemaRegistryUrl, registryUserInfo, registryToken, true, null,
                SerdeConfig.DEFAULT_REQUEST_TIMEOUT);
    }

    Topics topics() {
        return new Topics(topicPrefix);
    }
}
