package io.kdispatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Security settings given as streams.* reach every client of the dispatcher, not only Kafka Streams. */
class ClientOverridesTest {

    @Test
    void securityAndConnectionSettingsReachTheOtherClientsAndStreamsOnlySettingsDoNot() {
        DispatcherConfig config = DispatcherConfigParser.parse(Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "schema.registry.url", "mock://client-overrides",
                "streams.security.protocol", "SASL_SSL",
                "streams.sasl.mechanism", "SCRAM-SHA-512",
                "streams.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;",
                "streams.ssl.truststore.location", "/etc/kafka/truststore.jks",
                "streams.request.timeout.ms", "20000",
                "streams.commit.interval.ms", "100",
                "streams.producer.linger.ms", "1",
                "streams.client.id", "mine"));

        assertThat(config.clientOverrides()).containsOnlyKeys("security.protocol", "sasl.mechanism",
                "sasl.jaas.config", "ssl.truststore.location", "request.timeout.ms");
        assertThat(config.clientOverrides()).containsEntry("security.protocol", "SASL_SSL");
        assertThat(config.streamsOverrides()).containsKeys("commit.interval.ms", "producer.linger.ms",
                "security.protocol");
    }

    @Test
    void withoutStreamsSettingsTheClientsGetNothingExtra() {
        DispatcherConfig config = DispatcherConfigParser.parse(Map.of(
                "bootstrap.servers", "127.0.0.1:9092", "schema.registry.url", "mock://client-overrides"));

        assertThat(config.clientOverrides()).isEmpty();
    }
}
