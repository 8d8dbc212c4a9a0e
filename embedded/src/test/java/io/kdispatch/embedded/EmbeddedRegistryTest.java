package io.kdispatch.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedRegistryExtension.class)
class EmbeddedRegistryTest {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Probe\","
            + "\"namespace\":\"io.kdispatch.test\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";
    private static final String OTHER_SCHEMA = "{\"type\":\"record\",\"name\":\"Other\","
            + "\"namespace\":\"io.kdispatch.test\",\"fields\":[{\"name\":\"count\",\"type\":\"long\"}]}";

    @Test
    void urlIsTheConfluentCompatibleApiOnLoopback(EmbeddedRegistry registry) {
        assertTrue(registry.url().matches("http://127\\.0\\.0\\.1:\\d+/apis/ccompat/v7"), registry.url());
    }

    @Test
    void sameSchemaRegisteredTwiceGetsTheSameId(EmbeddedRegistry registry) throws Exception {
        CcompatClient client = new CcompatClient(registry.url());
        String subject = "t-" + UUID.randomUUID() + "-value";

        int first = client.register(subject, SCHEMA);
        int second = client.register(subject, SCHEMA);

        assertEquals(first, second);
    }

    @Test
    void registeredSchemaIsFetchedById(EmbeddedRegistry registry) throws Exception {
        CcompatClient client = new CcompatClient(registry.url());
        String subject = "t-" + UUID.randomUUID() + "-value";

        int id = client.register(subject, SCHEMA);
        int otherId = client.register("t-" + UUID.randomUUID() + "-value", OTHER_SCHEMA);

        assertNotEquals(id, otherId);
        assertEquals(CcompatClient.JSON.readTree(SCHEMA), client.schemaById(id));
        assertEquals(CcompatClient.JSON.readTree(OTHER_SCHEMA), client.schemaById(otherId));
    }
}
