package io.kdispatch.dispatcher.lag;

import java.time.Duration;
import java.util.Objects;

/**
 * How the {@link LagMonitor} measures lag, validated once here.
 *
 * @param interval time between two measurements (default 5 s; 100 ms to 10 min). Lag is computed at
 *     this pace with the Admin client, never per scrape or per request.
 * @param requestTimeout how long one Admin call may take before the measurement is given up and the
 *     previous snapshot kept (default 10 s; 100 ms to 5 min)
 * @param oldestAgeTimeout how long the assign-only consumer may poll for the records at the committed
 *     offsets, to learn the age of the oldest unconsumed task (default 2 s; 10 ms to 1 min)
 */
public record LagSettings(Duration interval, Duration requestTimeout, Duration oldestAgeTimeout) {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_OLDEST_AGE_TIMEOUT = Duration.ofSeconds(2);

    public LagSettings {
        requireBetween("lag interval", interval, Duration.ofMillis(100), Duration.ofMinutes(10));
        requireBetween("lag request timeout", requestTimeout, Duration.ofMillis(100), Duration.ofMinutes(5));
        requireBetween("lag oldest-age timeout", oldestAgeTimeout, Duration.ofMillis(10), Duration.ofMinutes(1));
    }

    /** Every setting at its default. */
    public static LagSettings defaults() {
        return new LagSettings(DEFAULT_INTERVAL, DEFAULT_REQUEST_TIMEOUT, DEFAULT_OLDEST_AGE_TIMEOUT);
    }

    /** A copy measuring at another interval. */
    public LagSettings withInterval(Duration newInterval) {
        return new LagSettings(newInterval, requestTimeout, oldestAgeTimeout);
    }

    private static void requireBetween(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be between " + min.toMillis() + " ms and "
                    + max.toMillis() + " ms, was " + value.toMillis() + " ms");
        }
    }
}
