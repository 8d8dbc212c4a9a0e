package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SerdeConfigTest {

    @Test
    void ofUsesDefaultsAndStripsTrailingSlash() {
        SerdeConfig config = SerdeConfig.of("http://registry:8080/apis/ccompat/v7/");
        assertEquals("http://registry:8080/apis/ccompat/v7", config.registryUrl());
        assertTrue(config.autoRegister());
        assertNull(config.basicAuthUserInfo());
        assertNull(config.bearerToken());
        assertNull(config.providerClass());
        assertEquals(Duration.ofSeconds(10), config.requestTimeout());
        assertFalse(config.isMock());
    }

    @Test
    void mockUrlNamesAScope() {
        SerdeConfig config = SerdeConfig.of("mock://my-test");
        assertTrue(config.isMock());
        assertEquals("my-test", config.mockScope());
    }

    @Test
    void fromMapReadsEveryKeyAndToMapGivesThemBack() {
        Map<String, Object> map = new HashMap<>();
        map.put("schema.registry.url", "https://sr.example:8081");
        map.put("schema.registry.basic.auth.user.info", "alice:s3cret");
        map.put("auto.register.schemas", "false");
        map.put("kdispatch.serde.provider", "com.acme.Provider");
        map.put("schema.registry.request.timeout.ms", "2500");
        map.put("bootstrap.servers", "ignored:9092");
        SerdeConfig config = SerdeConfig.fromMap(map);
        assertEquals(new SerdeConfig("https://sr.example:8081", "alice:s3cret", null, false, "com.acme.Provider",
                Duration.ofMillis(2500)), config);
        assertEquals(config, SerdeConfig.fromMap(config.toMap()));
        assertFalse(config.toMap().containsKey("schema.registry.bearer.auth.token"), "unset values are left out");
    }

    @Test
    void fromMapAcceptsTypedValues() {
        SerdeConfig config = SerdeConfig.fromMap(Map.of("schema.registry.url", "mock://x",
                "auto.register.schemas", false, "schema.registry.request.timeout.ms", 700));
        assertFalse(config.autoRegister());
        assertEquals(Duration.ofMillis(700), config.requestTimeout());
    }

    @Test
    void toStringMasksSecrets() {
        String basic = new SerdeConfig("http://h:1", "alice:s3cret", null, true, null, null).toString();
        String bearer = new SerdeConfig("http://h:1", null, "tok3n", true, null, null).toString();
        assertTrue(basic.contains("alice:***") && !basic.contains("s3cret"), basic);
        assertTrue(bearer.contains("bearerToken=***") && !bearer.contains("tok3n"), bearer);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                          | schema.registry.url is required",
        "localhost:8081              | 'localhost:8081' has no scheme; use http://, https:// or mock://<scope>",
        "registry                    | has no scheme; use http://, https:// or mock://<scope>",
        "ftp://registry              | has scheme 'ftp'",
        "mock://                     | needs a scope name: mock://<scope>",
        "mock:///                    | needs a scope name: mock://<scope>",
        "http://a:1,http://b:1       | lists several URLs; only one is supported",
        "http://alice:pw@registry:1  | must not contain credentials; put them in schema.registry.basic.auth.user.info",
        "http:///path                | has no host name",
        "http://registry:1/?x=1      | without query or fragment",
    })
    void rejectsUnusableUrls(String url, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SerdeConfig.of(url));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void rejectsBothAuthKinds() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SerdeConfig("http://h:1", "a:b", "token", true, null, null));
        assertTrue(e.getMessage().contains("set either schema.registry.basic.auth.user.info or "
                + "schema.registry.bearer.auth.token, not both"), e.getMessage());
    }

    @Test
    void rejectsUserInfoWithoutColon() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SerdeConfig("http://h:1", "alice", null, true, null, null));
        assertTrue(e.getMessage().contains("must have the form 'user:password'"), e.getMessage());
    }

    @Test
    void rejectsNonPositiveTimeout() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SerdeConfig("http://h:1", null, null, true, null, Duration.ZERO));
        assertTrue(e.getMessage().contains("schema.registry.request.timeout.ms must be positive"), e.getMessage());
    }

    @Test
    void fromMapNamesTheKeyWithABadValue() {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> SerdeConfig.fromMap(Map.of("bootstrap.servers", "x")));
        assertTrue(missing.getMessage().contains("schema.registry.url is required"), missing.getMessage());
        IllegalArgumentException bool = assertThrows(IllegalArgumentException.class, () -> SerdeConfig.fromMap(
                Map.of("schema.registry.url", "mock://x", "auto.register.schemas", "yes")));
        assertTrue(bool.getMessage().contains("auto.register.schemas must be true or false, got 'yes'"),
                bool.getMessage());
        IllegalArgumentException number = assertThrows(IllegalArgumentException.class, () -> SerdeConfig.fromMap(
                Map.of("schema.registry.url", "mock://x", "schema.registry.request.timeout.ms", "10s")));
        assertTrue(number.getMessage().contains("schema.registry.request.timeout.ms must be a number of milliseconds"),
                number.getMessage());
    }
}
