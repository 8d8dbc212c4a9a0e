package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * How the dispatcher reacts to failing, slow and dying workers.
 *
 * @param breaker per-worker circuit breaker policy
 * @param retryBackoffInitial wait before the first retry of a failed task (default 200 ms); doubles per
 *     failure, with jitter
 * @param retryBackoffMax cap of that wait (default 30 s)
 * @param poisonMaxLosses a task lost with this many dead workers or expired leases is dead-lettered as
 *     POISON, 1-{@value #MAX_POISON_LOSSES} (default 3)
 */
public record HealthSettings(BreakerPolicy breaker, Duration retryBackoffInitial, Duration retryBackoffMax,
                             int poisonMaxLosses) {
    /** Longest retry wait; a day keeps the doubling in {@link #backoffMillis} far from overflowing. */
    public static final Duration MAX_RETRY_BACKOFF = Duration.ofDays(1);
    public static final int MAX_POISON_LOSSES = 100;
    public static final Duration DEFAULT_RETRY_BACKOFF_INITIAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(30);
    public static final int DEFAULT_POISON_MAX_LOSSES = 3;

    public HealthSettings {
        Objects.requireNonNull(breaker, "breaker");
        if (retryBackoffInitial.isNegative() || retryBackoffMax.compareTo(retryBackoffInitial) < 0
                || retryBackoffMax.compareTo(MAX_RETRY_BACKOFF) > 0) {
            throw new IllegalArgumentException("retry backoff must be >= 0, its maximum at least its initial value "
                    + "and at most " + MAX_RETRY_BACKOFF + "; were " + retryBackoffInitial + " and " + retryBackoffMax);
        }
        if (poisonMaxLosses < 1 || poisonMaxLosses > MAX_POISON_LOSSES) {
            throw new IllegalArgumentException("poison max losses must be between 1 and " + MAX_POISON_LOSSES
                    + ", was " + poisonMaxLosses);
        }
    }

    public static HealthSettings defaults() {
        return new HealthSettings(BreakerPolicy.defaults(), DEFAULT_RETRY_BACKOFF_INITIAL, DEFAULT_RETRY_BACKOFF_MAX,
                DEFAULT_POISON_MAX_LOSSES);
    }

    /**
     * The wait before the retry that follows the {@code failures}-th failure: exponential, with jitter
     * between half and all of it, derived from the task ID so a replayed decision is the same.
     */
    public long backoffMillis(int failures, String taskId) {
        long base = retryBackoffInitial.toMillis() << Math.min(Math.max(failures - 1, 0), 20);
        long capped = Math.min(base, retryBackoffMax.toMillis());
        double jitter = 0.5 + 0.5 * ((taskId.hashCode() * 31L + failures) & 0xffff) / 65535.0;
        return Math.round(capped * jitter);
    }
}
