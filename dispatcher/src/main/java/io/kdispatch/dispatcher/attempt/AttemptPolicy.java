package io.kdispatch.dispatcher.attempt;

import java.time.Duration;
import java.util.Objects;

/**
 * How long attempts may run and how failed and lost ones are retried.
 *
 * @param lease how long a worker may hold an attempt without a result or extension (default 5 min)
 * @param retryBackoffInitial wait before the first retry of a failed task (default 200 ms); doubles per
 *     failure, with jitter
 * @param retryBackoffMax cap of that wait (default 30 s)
 * @param poisonMaxLosses a task lost this many times is dead-lettered as POISON (default 3)
 */
public record AttemptPolicy(Duration lease, Duration retryBackoffInitial, Duration retryBackoffMax,
                            int poisonMaxLosses) {
    /** Bounds of {@link #poisonMaxLosses()}. */
    public static final int MIN_POISON_LOSSES = 1;
    public static final int MAX_POISON_LOSSES = 100;

    public AttemptPolicy {
        Objects.requireNonNull(lease, "lease");
        Objects.requireNonNull(retryBackoffInitial, "retryBackoffInitial");
        Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
        if (lease.toMillis() < 1) {
            throw new IllegalArgumentException("lease must be at least 1 ms, was " + lease);
        }
        if (retryBackoffInitial.isNegative() || retryBackoffMax.compareTo(retryBackoffInitial) < 0) {
            throw new IllegalArgumentException("retry backoff must be >= 0 and its maximum at least its initial value");
        }
        if (poisonMaxLosses < MIN_POISON_LOSSES || poisonMaxLosses > MAX_POISON_LOSSES) {
            throw new IllegalArgumentException("poison max losses must be between " + MIN_POISON_LOSSES + " and "
                    + MAX_POISON_LOSSES + ", was " + poisonMaxLosses);
        }
    }

    public static AttemptPolicy defaults() {
        return new AttemptPolicy(Duration.ofMinutes(5), Duration.ofMillis(200), Duration.ofSeconds(30), 3);
    }

    /**
     * The wait before the retry that follows the {@code failures}-th failure: exponential, with jitter
     * between half and all of it, derived from the task ID so that replaying a history decides the same.
     */
    public long backoffMillis(int failures, String taskId) {
        long base = retryBackoffInitial.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        long capped = Math.min(base, retryBackoffMax.toMillis());
        double jitter = 0.5 + 0.5 * ((taskId.hashCode() * 31L + failures) & 0xffff) / 65535.0;
        return Math.round(capped * jitter);
    }
}
