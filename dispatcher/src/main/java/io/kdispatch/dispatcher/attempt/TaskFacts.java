package io.kdispatch.dispatcher.attempt;

import io.kdispatch.dispatcher.routing.LabelRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the attempt lifecycle needs to know about a task; the wire record itself stays with the caller.
 *
 * @param id the task ID
 * @param type the task type (pausable by an operator)
 * @param priority higher waits less
 * @param maxAttempts failed attempts after which the task is dead-lettered, at least 1
 * @param deadlineMs wall-clock ms after which it is dead-lettered instead of run, or {@link #NO_DEADLINE}
 * @param affinityKey tasks sharing it stay on one worker, in intake order; null when none
 * @param group its anti-affinity group; null when none
 * @param submittedAtMs when the producer submitted it, or {@link #UNKNOWN}
 * @param requirements its hard label rules, in a canonical order (they key the router's table cache)
 * @param preferences its soft label preferences
 * @param tenant whose task it is (derived once from its headers, see {@code quota.Tenancy}); never null
 */
public record TaskFacts(String id, String type, int priority, int maxAttempts, long deadlineMs, String affinityKey,
                        String group, long submittedAtMs, List<LabelRule> requirements,
                        Map<String, String> preferences, String tenant) {
    /** {@link #deadlineMs()} of a task without a deadline. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** {@link #submittedAtMs()} when the producer did not say. */
    public static final long UNKNOWN = -1;

    public TaskFacts {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(tenant, "tenant");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts of task " + id + " must be at least 1, was " + maxAttempts);
        }
        affinityKey = blankToNull(affinityKey);
        group = blankToNull(group);
        requirements = requirements == null ? List.of() : List.copyOf(requirements);
        preferences = preferences == null ? Map.of() : Map.copyOf(preferences);
    }

    /** True when the deadline has passed at {@code nowMs}. */
    public boolean expiredAt(long nowMs) {
        return deadlineMs <= nowMs;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
