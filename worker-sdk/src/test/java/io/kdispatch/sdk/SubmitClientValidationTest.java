package io.kdispatch.sdk;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.internal.TaskValidation;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SubmitClientValidationTest {

    private static Task.Builder task() {
        return Task.newBuilder().setId("t-1").setType("echo");
    }

    @Test
    void aPlainTaskIsValid() {
        TaskValidation.requireValid(task().setPriority(-5).build());
    }

    @Test
    void emptyIdIsRefused() {
        assertRefused(task().setId("").build(), "task id must not be empty");
    }

    @Test
    void emptyTypeIsRefused() {
        assertRefused(task().setType(" ").build(), "type must not be empty");
    }

    @Test
    void maxAttemptsOutOfRangeIsRefused() {
        assertRefused(task().setMaxAttempts(0).build(), "maxAttempts must be between 1 and 100, was 0");
        assertRefused(task().setMaxAttempts(101).build(), "maxAttempts must be between 1 and 100, was 101");
    }

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
                .serdeConfig(io.kdispatch.schemas.serde.SerdeConfig.of("mock://x"))
                .kafkaProperties(Map.of("acks", "0")).build());
        assertTrue(e.getMessage().contains("'acks'"), e.getMessage());
    }

    private static void assertRefused(Task task, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskValidation.requireValid(task));
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
