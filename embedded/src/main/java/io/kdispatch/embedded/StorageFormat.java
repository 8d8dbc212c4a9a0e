package io.kdispatch.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import kafka.server.KafkaConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Formats a KRaft node's log directories in code, as {@code kafka-storage.sh format} does for a
 * node with a static voter set, without the tool's {@code System.exit}.
 */
final class StorageFormat {

    private static final Logger LOG = LoggerFactory.getLogger(StorageFormat.class);

    private StorageFormat() {
    }

    /**
     * Formats the directories of {@code config} with the latest production metadata version.
     * Directories that are already formatted are left as they are and lend their cluster ID, so
     * a kept data directory keeps its topics; otherwise the cluster ID is fresh.
     *
     * @param scramArguments SCRAM credentials to write into the bootstrap metadata, in the form of
     *                       {@code kafka-storage format --add-scram} ({@code SCRAM-SHA-512=[name=..,password=..]});
     *                       empty for none. Ignored for directories that are already formatted.
     */
    static void formatIfNeeded(KafkaConfig config, List<String> scramArguments) {
        try {
            formatIfNeeded(config, scramArguments, existingClusterId(config).orElseGet(() -> Uuid.randomUuid().toString()));
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the Kafka storage in " + config.logDirs() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Formats the directories of {@code config} for the cluster {@code clusterId} (every node of one cluster
     * must be formatted with the same ID); directories already formatted are left as they are.
     */
    static void formatIfNeeded(KafkaConfig config, List<String> scramArguments, String clusterId) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(print)
                    .setNodeId(config.nodeId())
                    .setClusterId(clusterId)
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setControllerListenerName(config.controllerListenerNames().get(0))
                    .setMetadataLogDirectory(config.metadataLogDir())
                    .setDirectories(config.logDirs())
                    .setScramArguments(scramArguments)
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("Could not format the Kafka storage in "
                    + config.logDirs() + ": " + e.getMessage(), e);
        }
        LOG.debug("Kafka storage format: {}", output.toString(StandardCharsets.UTF_8).strip());
    }

    private static Optional<String> existingClusterId(KafkaConfig config) throws IOException {
        return new MetaPropertiesEnsemble.Loader()
                .addLogDirs(config.logDirs())
                .addMetadataLogDir(config.metadataLogDir())
                .load()
                .clusterId();
    }
}
