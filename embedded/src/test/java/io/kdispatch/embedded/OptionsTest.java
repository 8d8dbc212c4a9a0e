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
                Map.of("log.retention.hours", "48"), null);

        assertEquals("48", settings.get("log.retention.hours"));
        assertEquals("PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2", settings.get("listeners"));
    }

    @Test
    void everySettingIsAKnownBrokerConfig() {
        Set<String> known = Set.copyOf(scala.jdk.javaapi.CollectionConverters.asJava(KafkaConfig.configNames()));
        Set<String> ours = BrokerSettings.build(1, 2, Path.of("logs"), Map.of(), null).keySet();
        Set<String> secured = BrokerSettings.build(1, 2, Path.of("logs"), Map.of(), SECURITY).keySet();

        Set<String> unknown = ours.stream().filter(key -> !known.contains(key)).collect(Collectors.toSet());
        assertEquals(Set.of(), unknown);
        // Per-listener keys (listener.name.<listener>.<key>) are not in the catalogue, their suffixes are;
        // super.users and allow.everyone.if.no.acl.found belong to the authorizer's own configuration.
        Set<String> authorizer = Set.of("super.users", "allow.everyone.if.no.acl.found");
        Set<String> unknownSecured = secured.stream().map(OptionsTest::withoutListenerPrefix)
                .filter(key -> !known.contains(key) && !authorizer.contains(key)).collect(Collectors.toSet());
        assertEquals(Set.of(), unknownSecured);
    }

    @Test
    void securityPutsSaslOnBothLoopbackListenersAndTheAuthorizerOn() {
        Map<String, String> settings = BrokerSettings.build(1, 2, Path.of("logs"), Map.of(), SECURITY);

        assertEquals("SASL_PLAINTEXT://127.0.0.1:1,CONTROLLER://127.0.0.1:2", settings.get("listeners"));
        assertEquals("SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
                settings.get("listener.security.protocol.map"));
        assertEquals("org.apache.kafka.metadata.authorizer.StandardAuthorizer", settings.get("authorizer.class.name"));
        assertEquals("User:admin", settings.get("super.users"));
        assertEquals("false", settings.get("allow.everyone.if.no.acl.found"));
        assertEquals("SCRAM-SHA-512", settings.get("listener.name.sasl_plaintext.sasl.enabled.mechanisms"));
        assertEquals(java.util.List.of("SCRAM-SHA-512=[name=admin,password=\"admin-secret\"]",
                "SCRAM-SHA-512=[name=w1,password=\"w1-secret\"]"), SECURITY.scramArguments());
    }

    @Test
    void securityOverridesAreRefusedWhenSecurityIsOn() {
        EmbeddedKafka.Options secured = EmbeddedKafka.Options.defaults().withSecurity(SECURITY);
        Map<String, String> overrides = Map.of("allow.everyone.if.no.acl.found", "true");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> secured.withBrokerOverrides(overrides));

        assertTrue(error.getMessage().contains("[allow.everyone.if.no.acl.found]"), error.getMessage());
        assertEquals(overrides, EmbeddedKafka.Options.defaults().withBrokerOverrides(overrides).brokerOverrides());
    }

    @Test
    void securityRefusesNamesThatNeedQuotingAndHidesPasswords() {
        assertThrows(IllegalArgumentException.class, () -> BrokerSecurity.scram("ad min", "x"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> BrokerSecurity.scram("admin", "a\",b"));
        assertTrue(!error.getMessage().contains("a\",b"), error.getMessage());
        assertTrue(!SECURITY.toString().contains("secret"), SECURITY.toString());
    }

    private static final BrokerSecurity SECURITY = BrokerSecurity.scram("admin", "admin-secret")
            .withUser("w1", "w1-secret");

    private static String withoutListenerPrefix(String key) {
        if (!key.startsWith("listener.name.")) {
            return key;
        }
        String rest = key.substring("listener.name.".length());
        rest = rest.substring(rest.indexOf('.') + 1);
        return rest.startsWith("scram-sha-512.") || rest.startsWith("plain.") ? rest.substring(rest.indexOf('.') + 1)
                : rest;
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
