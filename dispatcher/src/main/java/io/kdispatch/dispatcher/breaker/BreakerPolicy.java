package io.kdispatch.dispatcher.breaker;

import java.time.Duration;
import java.util.Objects;

/**
 * When a worker's breaker trips and how it recovers, in the manner of resilience4j's
 * {@code CircuitBreakerConfig} and Envoy's outlier detection.
 *
 * <p>The bounds below are the only declaration of what a policy accepts: the settings catalogue
 * ({@code config.Settings}) takes its ranges from them, so a value the configuration or the control topic
 * accepts always builds a policy. Durations are capped at a day so that the doubling open wait
 * ({@link #openMillis}) and deadlines computed from it cannot overflow.
 *
 * @param windowSize results kept in the sliding window, {@value #MIN_WINDOW}-{@value #MAX_WINDOW} (default 20)
 * @param minimumCalls results needed before the failure rate is judged, 1 to the window size (default 10)
 * @param failureRateThreshold failure percentage that trips the breaker, 1-100 (default 50)
 * @param slowCallMs a result slower than this counts as a failure; 0 turns it off (default 0)
 * @param openDuration wait before the first probe (default 5 s); doubles with each consecutive trip
 * @param maxOpenDuration cap of the doubling (default 2 min), at least {@code openDuration}
 * @param probes probe tasks let through when half-open, all of which must succeed, 1-100 (default 3)
 * @param maxEjectedPercent most of the fleet open at once, 0-100 (default 50), so a shared downstream
 *     outage cannot empty the fleet
 */
public record BreakerPolicy(int windowSize, int minimumCalls, int failureRateThreshold, long slowCallMs,
                            Duration openDuration, Duration maxOpenDuration, int probes, int maxEjectedPercent) {
    public static final int MIN_WINDOW = 1;
    /** Largest window: each breaker keeps its window in the changelogged {@code breakers} store. */
    public static final int MAX_WINDOW = 1_000;
    public static final int MIN_FAILURE_RATE = 1;
    public static final int MAX_PERCENT = 100;
    public static final long MAX_SLOW_CALL_MS = Duration.ofDays(1).toMillis();
    public static final long MIN_OPEN_MS = 100;
    public static final long MAX_OPEN_MS = Duration.ofDays(1).toMillis();
    public static final int MIN_PROBES = 1;
    public static final int MAX_PROBES = 100;

    public static final int DEFAULT_WINDOW = 20;
    public static final int DEFAULT_MINIMUM_CALLS = 10;
    public static final int DEFAULT_FAILURE_RATE = 50;
    public static final long DEFAULT_SLOW_CALL_MS = 0;
    public static final Duration DEFAULT_OPEN_DURATION = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_OPEN_DURATION = Duration.ofMinutes(2);
    public static final int DEFAULT_PROBES = 3;
    public static final int DEFAULT_MAX_EJECTED_PERCENT = 50;

    public BreakerPolicy {
        if (windowSize < MIN_WINDOW || windowSize > MAX_WINDOW) {
            throw new IllegalArgumentException("breaker window size must be between " + MIN_WINDOW + " and "
                    + MAX_WINDOW + ", was " + windowSize);
        }
        if (minimumCalls < 1 || minimumCalls > windowSize) {
            throw new IllegalArgumentException("breaker minimum calls must be between 1 and the window size ("
                    + windowSize + "), was " + minimumCalls);
        }
        if (failureRateThreshold < MIN_FAILURE_RATE || failureRateThreshold > MAX_PERCENT) {
            throw new IllegalArgumentException("failureRateThreshold must be between " + MIN_FAILURE_RATE + " and "
                    + MAX_PERCENT + ", was " + failureRateThreshold);
        }
        if (slowCallMs < 0 || slowCallMs > MAX_SLOW_CALL_MS) {
            throw new IllegalArgumentException("slow call threshold must be between 0 and " + MAX_SLOW_CALL_MS
                    + " ms, was " + slowCallMs);
        }
        Objects.requireNonNull(openDuration, "openDuration");
        Objects.requireNonNull(maxOpenDuration, "maxOpenDuration");
        if (openDuration.toMillis() < MIN_OPEN_MS || maxOpenDuration.toMillis() > MAX_OPEN_MS
                || maxOpenDuration.compareTo(openDuration) < 0) {
            throw new IllegalArgumentException("breaker open duration must be at least " + MIN_OPEN_MS
                    + " ms and at most the maximum (" + maxOpenDuration + "), which is at most " + MAX_OPEN_MS
                    + " ms; was " + openDuration);
        }
        if (probes < MIN_PROBES || probes > MAX_PROBES) {
            throw new IllegalArgumentException("breaker probes must be between " + MIN_PROBES + " and " + MAX_PROBES
                    + ", was " + probes);
        }
        if (maxEjectedPercent < 0 || maxEjectedPercent > MAX_PERCENT) {
            throw new IllegalArgumentException("maxEjectedPercent must be between 0 and " + MAX_PERCENT + ", was "
                    + maxEjectedPercent);
        }
    }

    public static BreakerPolicy defaults() {
        return new BreakerPolicy(DEFAULT_WINDOW, DEFAULT_MINIMUM_CALLS, DEFAULT_FAILURE_RATE, DEFAULT_SLOW_CALL_MS,
                DEFAULT_OPEN_DURATION, DEFAULT_MAX_OPEN_DURATION, DEFAULT_PROBES, DEFAULT_MAX_EJECTED_PERCENT);
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
