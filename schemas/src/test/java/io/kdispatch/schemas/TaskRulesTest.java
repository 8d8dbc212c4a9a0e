package io.kdispatch.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
