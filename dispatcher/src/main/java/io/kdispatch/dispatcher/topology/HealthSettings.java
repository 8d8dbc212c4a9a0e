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
 *     POISON (default 3)
 */
public record HealthSettings(BreakerPolicy breaker, Duration retryBackoffInitial, Duration retryBackoffMax,
                             int poisonMaxLosses) {
    public HealthSettings {
        Objects.requireNonNull(breaker, "breaker");
        if (retryBackoffInitial.isNegative() || retryBackoffMax.compareTo(retryBackoffInitial) < 0) {
            throw new IllegalArgumentException("retry backoff must be >= 0 and its maximum at least its initial value");
        }
        if (poisonMaxLosses < 1 || poisonMaxLosses > 100) {
            throw new IllegalArgumentException("poison max losses must be between 1 and 100, was " + poisonMaxLosses);
        }
    }

    public static HealthSettings defaults() {
        return new HealthSettings(BreakerPolicy.defaults(), Duration.ofMillis(200), Duration.ofSeconds(30), 3);
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
