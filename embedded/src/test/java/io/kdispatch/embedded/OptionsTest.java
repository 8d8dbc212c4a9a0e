package io.kdispatch.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void kafkaDefaultsPickAPortAndATemporaryDirectory() {
        EmbeddedKafka.Options defaults = EmbeddedKafka.Options.defaults();

        assertEquals(0, defaults.port());
        assertEquals(null, defaults.dataDir());
        assertEquals(Map.of(), defaults.brokerOverrides());
    }

    @Test
    void kafkaPortOutOfRangeIsRefused() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.Options.defaults().withPort(70_000));

        assertTrue(error.getMessage().contains("70000"), error.getMessage());
    }

    @Test
    void overridesOfTheWiringAreRefusedByName() {
        Map<String, String> overrides = Map.of("listeners", "PLAINTEXT://:9092");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.Options.defaults().withBrokerOverrides(overrides));

        assertTrue(error.getMessage().contains("[listeners]"), error.getMessage());
    }

    @Test
    void nullOverrideValuesAreRefused() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("log.retention.hours", null);

        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedKafka.Options.defaults().withBrokerOverrides(overrides));
    }

    @Test
    void overridesReplaceTestDefaults() {
        Map<String, String> settings = BrokerSettings.build(1, 2, Path.of("logs"),
                Map.of("log.retention.hours", "48"));

        assertEquals("48", settings.get("log.retention.hours"));
        assertEquals("PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2", settings.get("listeners"));
    }

    @Test
    void everySettingIsAKnownBrokerConfig() {
        Set<String> known = Set.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(KafkaConfig.configNames()));
        Set<String> ours = BrokerSettings.build(1, 2, Path.of("logs"), Map.of()).keySet();

        Set<String> unknown = ours.stream().filter(key -> !known.contains(key)).collect(Collectors.toSet());
        assertEquals(Set.of(), unknown);
    }

    @Test
    void registryStartTimeoutMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> EmbeddedRegistry.Options.defaults().withStartTimeout(Duration.ZERO));
        assertEquals(EmbeddedRegistry.Options.DEFAULT_START_TIMEOUT,
                EmbeddedRegistry.Options.defaults().withStartTimeout(null).startTimeout());
    }

    @Test
    void registryPortOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedRegistry.Options.defaults().withPort(-1));
    }
}
