package io.kdispatch.dispatcher.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * When a worker's breaker trips and how it recovers, in the manner of resilience4j's
 * {@code CircuitBreakerConfig} and Envoy's outlier detection.
 *
 * @param windowSize results kept in the sliding window (default 20)
 * @param minimumCalls results needed before the failure rate is judged (default 10)
 * @param failureRateThreshold failure percentage that trips the breaker, 1-100 (default 50)
 * @param slowCallMs a result slower than this counts as a failure; 0 turns it off (default 0)
 * @param openDuration wait before the first probe (default 5 s); doubles with each consecutive trip
 * @param maxOpenDuration cap of the doubling (default 2 min)
 * @param probes probe tasks let through when half-open, all of which must succeed (default 3)
 * @param maxEjectedPercent most of the fleet open at once, 0-100 (default 50), so a shared downstream
 *     outage cannot empty the fleet
 */
public record BreakerPolicy(int windowSize, int minimumCalls, int failureRateThreshold, long slowCallMs,
                            Duration openDuration, Duration maxOpenDuration, int probes, int maxEjectedPercent) {
    public BreakerPolicy {
        if (windowSize < 1 || windowSize > 1_000) {
            throw new IllegalArgumentException("breaker window size must be between 1 and 1000, was " + windowSize);
        }
        if (minimumCalls < 1 || minimumCalls > windowSize) {
            throw new IllegalArgumentException("breaker minimum calls must be between 1 and the window size ("
                    + windowSize + "), was " + minimumCalls);
        }
        if (failureRateThreshold < 1 || failureRateThreshold > 100) {
            throw new IllegalArgumentException("failureRateThreshold must be between 1 and 100, was "
                    + failureRateThreshold);
        }
        if (slowCallMs < 0) {
            throw new IllegalArgumentException("slow call threshold must not be negative, was " + slowCallMs);
        }
        Objects.requireNonNull(openDuration, "openDuration");
        Objects.requireNonNull(maxOpenDuration, "maxOpenDuration");
        if (openDuration.toMillis() < 100 || maxOpenDuration.compareTo(openDuration) < 0) {
            throw new IllegalArgumentException("breaker open duration must be at least 100 ms and at most the "
                    + "maximum (" + maxOpenDuration + "), was " + openDuration);
        }
        if (probes < 1 || probes > 100) {
            throw new IllegalArgumentException("breaker probes must be between 1 and 100, was " + probes);
        }
        if (maxEjectedPercent < 0 || maxEjectedPercent > 100) {
            throw new IllegalArgumentException("maxEjectedPercent must be between 0 and 100, was "
                    + maxEjectedPercent);
        }
    }

    public static BreakerPolicy defaults() {
        return new BreakerPolicy(20, 10, 50, 0, Duration.ofSeconds(5), Duration.ofMinutes(2), 3, 50);
    }

    /** The wait after the {@code trips}-th consecutive trip: doubling, capped. */
    public long openMillis(int trips) {
        long wait = openDuration.toMillis() << Math.min(Math.max(trips - 1, 0), 20);
        return Math.min(wait, maxOpenDuration.toMillis());
    }

    /** True when {@code ejected} open breakers in a fleet of {@code fleetSize} leave room for one more. */
    public boolean mayEject(int ejected, int fleetSize) {
        return (ejected + 1) * 100L <= (long) maxEjectedPercent * fleetSize;
    }
}
