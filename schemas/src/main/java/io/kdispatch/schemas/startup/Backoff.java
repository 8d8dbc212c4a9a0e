package io.kdispatch.schemas.startup;

import java.time.Duration;
import java.util.Objects;

/**
 * Capped exponential backoff: {@code initial} after the first failure, doubling after each further
 * one, never more than {@code max}. Plain data, no clock: {@link StartupWait} does the waiting.
 *
 * @param initial the pause after the first failure, positive
 * @param max the longest pause, at least {@code initial}
 */
public record Backoff(Duration initial, Duration max) {
    /** 100 ms doubling to 5 s: quick when a broker is a moment away, gentle when it is down for minutes. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " must be at least the initial " + initial);
        }
    }

    /**
     * The pause after {@code failures} consecutive failures.
     *
     * @param failures 1 or more
     */
    public Duration delay(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1, was " + failures);
        }
        // Doubling past the cap is pointless, and 2^62 ms would overflow the multiplication.
        int doublings = Math.min(failures - 1, 62);
        long maxMillis = max.toMillis();
        long millis = initial.toMillis() > (maxMillis >> doublings) ? maxMillis : initial.toMillis() << doublings;
        return Duration.ofMillis(Math.min(millis, maxMillis));
    }
}
