package io.kdispatch.sdk;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.serde.SerdeConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The builder names what is missing. Which tasks {@link SubmitClient#submit} refuses, and with which message, is
 * {@code io.kdispatch.schemas.TaskRules} (tested in {@code schemas}); {@code it.SubmitClientTest} checks on a broker
 * that a refused task is not sent and carries the rule's message.
 */
class SubmitClientValidationTest {

    @Test
    void builderNamesMissingSettings() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SubmitClient.builder().build());
        assertTrue(e.getMessage().contains("bootstrapServers is required"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SubmitClient.builder().bootstrapServers("localhost:9092").build());
        assertTrue(e.getMessage().contains("serdeConfig is required"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SubmitClient.builder()
                .bootstrapServers("localhost:9092")
                .serdeConfig(SerdeConfig.of("mock://x"))
                .kafkaProperties(Map.of("acks", "0")).build());
        assertTrue(e.getMessage().contains("'acks'"), e.getMessage());
    }
}
