package io.kdispatch.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskRulesTest {
    private static Task.Builder task() {
        return Task.newBuilder().setId("t-1").setType("echo");
    }

    @Test
    void aPlainTaskAndTheBoundsThemselvesAreAccepted() {
        assertNull(TaskRules.problem(task().setPriority(-5).build()));
        assertNull(TaskRules.problem(task().setId("x".repeat(TaskRules.MAX_ID_LENGTH))
                .setMaxAttempts(TaskRules.MAX_ATTEMPTS).setRequiredLabels(labels(TaskRules.MAX_LABEL_RULES)).build()));
        assertNull(TaskRules.problem(task().setMaxAttempts(TaskRules.MIN_ATTEMPTS).build()));
    }

    @Test
    void eachRuleIsNamed() {
        assertEquals("task must not be null", TaskRules.problem(null));
        assertEquals("task id must not be empty", TaskRules.problem(task().setId(" ").build()));
        assertEquals("task t-1: type must not be empty", TaskRules.problem(task().setType("").build()));
        assertEquals("task t-1: maxAttempts must be between 1 and 100, was 0",
                TaskRules.problem(task().setMaxAttempts(0).build()));
        assertEquals("task t-1: maxAttempts must be between 1 and 100, was 101",
                TaskRules.problem(task().setMaxAttempts(101).build()));
        assertEquals("task t-1: label requirement on 'zone' with IN lists no values", TaskRules.problem(task()
                .setLabelRequirements(List.of(new LabelRequirement("zone", LabelOperator.IN, List.of()))).build()));
    }

    @Test
    void anIdOverTheLimitIsRefused() {
        assertEquals("task id is 513 characters long, over the limit of 512",
                TaskRules.problem(task().setId("x".repeat(513)).build()));
    }

    @Test
    void moreThanSixtyFourLabelRulesAreRefusedCountingBothKinds() {
        List<LabelRequirement> exists = new ArrayList<>();
        for (int i = 0; i < 33; i++) {
            exists.add(new LabelRequirement("k" + i, LabelOperator.EXISTS, List.of()));
        }
        Task task = task().setRequiredLabels(labels(32)).setLabelRequirements(exists).build();
        assertEquals("task t-1: has 65 label rules (required labels plus label requirements), over the limit of 64",
                TaskRules.problem(task));
    }

    @Test
    void theSizeBoundsThemselvesAreAccepted() {
        assertNull(TaskRules.problem(task().setPriority(TaskRules.MIN_PRIORITY)
                .setPayload(java.nio.ByteBuffer.wrap(new byte[TaskRules.MAX_PAYLOAD_BYTES]))
                .setType("t".repeat(TaskRules.MAX_TEXT_LENGTH)).setAffinityKey("a/b\\c")
                .setPreferredLabels(labels(TaskRules.MAX_PREFERRED_LABELS))
                .setHeaders(Map.of("trace", "v".repeat(TaskRules.MAX_HEADER_VALUE_LENGTH))).build()));
        assertNull(TaskRules.problem(task().setId("tenant/42/job:7").setPriority(TaskRules.MAX_PRIORITY).build()));
    }

    @Test
    void absurdValuesAreRefusedWithTheirLimit() {
        assertEquals("task t-1: priority must be between -1000000 and 1000000, was -2147483648",
                TaskRules.problem(task().setPriority(Integer.MIN_VALUE).build()));
        assertEquals("task t-1: payload is 524289 bytes, over the limit of 524288", TaskRules.problem(task()
                .setPayload(java.nio.ByteBuffer.wrap(new byte[TaskRules.MAX_PAYLOAD_BYTES + 1])).build()));
        assertEquals("task t-1: has 65 preferredLabels, over the limit of 64",
                TaskRules.problem(task().setPreferredLabels(labels(65)).build()));
        assertEquals("task t-1: has 65 headers, over the limit of 64",
                TaskRules.problem(task().setHeaders(labels(65)).build()));
        assertEquals("task t-1: type is 257 characters long, over the limit of 256",
                TaskRules.problem(task().setType("t".repeat(257)).build()));
        assertEquals("task t-1: requiredLabels value is 257 characters long, over the limit of 256",
                TaskRules.problem(task().setRequiredLabels(Map.of("k", "v".repeat(257))).build()));
        List<String> values = new ArrayList<>(labels(65).keySet());
        assertEquals("task t-1: label requirement on 'zone' lists 65 values, over the limit of 64", TaskRules.problem(
                task().setLabelRequirements(List.of(new LabelRequirement("zone", LabelOperator.IN, values))).build()));
    }

    @Test
    void fieldsWithinTheirLimitsStillMustFitTogether() throws Exception {
        List<LabelRequirement> requirements = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            List<String> values = new ArrayList<>();
            for (int v = 0; v < TaskRules.MAX_REQUIREMENT_VALUES; v++) {
                values.add(v + "-" + "é".repeat(120));
            }
            requirements.add(new LabelRequirement("k" + i, LabelOperator.NOT_IN, values));
        }
        Task task = task().setLabelRequirements(requirements).build();
        long size = TaskRules.encodedSize(task);
        assertEquals("task t-1: is " + size + " bytes encoded, over the limit of 655360", TaskRules.problem(task));
        int encoded = task.toByteBuffer().remaining(); // Avro's single-object encoding: the body and 10 bytes
        assertTrue(Math.abs(encoded - size) < 1_000, () -> "estimate " + size + ", encoded " + encoded);
    }

    @Test
    void controlCharactersAreRefusedInIdsAndRoutingTexts() {
        assertEquals("task id has the control character U+000A at index 2 (IDs appear in logs and tools, one line each)",
                TaskRules.problem(task().setId("t-\nINFO forged").build()));
        assertEquals("task id has the control character U+0000 at index 0 (IDs appear in logs and tools, one line each)",
                TaskRules.problem(task().setId("\u0000").build()));
        assertEquals("task t-1: affinityKey has the control character U+001B",
                TaskRules.problem(task().setAffinityKey("k\u001b[31m").build()));
        assertEquals("task t-1: type has the control character U+2028",
                TaskRules.problem(task().setType("a\u2028b").build()));
    }

    @Test
    void requireValidThrowsTheProblemVerbatim() {
        Task ok = task().build();
        assertSame(ok, TaskRules.requireValid(ok));
        Task bad = task().setMaxAttempts(0).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskRules.requireValid(bad));
        assertEquals(TaskRules.problem(bad), e.getMessage());
    }

    private static Map<String, String> labels(int n) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < n; i++) {
            labels.put("label-" + i, "v");
        }
        return labels;
    }
}
