package io.kdispatch.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskRules;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * {@link SubmitClient#submit} refuses a task that breaks one of {@link TaskRules} before anything reaches the
 * producer, with the rule's own message (the one the dispatcher would dead-letter it with). The client points
 * at a port nothing listens on: a refused task never gets as far as needing a broker.
 */
class SubmitClientValidationTest {
    private static final SubmitClient client = SubmitClient.builder().bootstrapServers("127.0.0.1:1")
            .serdeConfig(SerdeConfig.of("mock://submit-validation")).build();

    @AfterAll
    static void close() {
        client.close();
    }

    private static Task.Builder task() {
        return Task.newBuilder().setId("t-1").setType("echo");
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
    void anIdOverFiveHundredTwelveCharactersIsRefused() {
        assertRefused(task().setId("x".repeat(513)).build(), "task id is 513 characters long, over the limit of 512");
    }

    @Test
    void moreThanSixtyFourLabelRulesAreRefused() {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < 65; i++) {
            labels.put("k" + i, "v");
        }
        assertRefused(task().setRequiredLabels(labels).build(), "has 65 label rules");
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
                .serdeConfig(SerdeConfig.of("mock://x"))
                .kafkaProperties(Map.of("acks", "0")).build());
        assertTrue(e.getMessage().contains("'acks'"), e.getMessage());
    }

    private static void assertRefused(Task task, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.submit(task));
        assertEquals(TaskRules.problem(task), e.getMessage(), "the message is the shared rule's, verbatim");
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }
}
