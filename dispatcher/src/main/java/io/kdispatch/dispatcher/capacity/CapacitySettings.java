package io.kdispatch.dispatcher.capacity;

import java.time.Duration;

/**
 * What the dispatcher's capacity estimate ({@code kdispatch_workers_needed}) answers and how often: how many
 * workers of each kind keep the p99 wait at or under {@code targetP99Wait} at the arrival rate of the last
 * {@code window}, recomputed every {@code interval}. Kinds are the values of the worker label
 * {@code kindLabel}; blank: the whole fleet is one kind, {@code all}.
 *
 * @param targetP99Wait the target; null switches the estimate off (the default)
 * @param window how much of the topics each estimate replays (default 2 minutes, 10 s to 1 h)
 * @param interval how often it is recomputed (default 1 minute, 5 s to 1 h)
 * @param kindLabel the worker label whose values are the kinds; blank for one kind
 * @param maxWorkers most workers of a kind tried (default 100, 1 to 10000); also the answer when even they do
 *     not do
 */
public record CapacitySettings(Duration targetP99Wait, Duration window, Duration interval, String kindLabel,
                               int maxWorkers) {
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(2);
    public static final Duration DEFAULT_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_WORKERS = 100;

    public CapacitySettings {
        kindLabel = kindLabel == null ? "" : kindLabel.trim();
        if (targetP99Wait != null && targetP99Wait.isNegative()) {
            throw new IllegalArgumentException("the capacity p99 wait target must be 0 or more, was " + targetP99Wait);
        }
        within("capacity window", window, Duration.ofSeconds(10));
        within("capacity interval", interval, Duration.ofSeconds(5));
        if (maxWorkers < 1 || maxWorkers > 10_000) {
            throw new IllegalArgumentException("capacity max workers must be from 1 to 10000, was " + maxWorkers);
        }
    }

    /** No estimate. */
    public static CapacitySettings off() {
        return new CapacitySettings(null, DEFAULT_WINDOW, DEFAULT_INTERVAL, "", DEFAULT_MAX_WORKERS);
    }

    public boolean enabled() {
        return targetP99Wait != null;
    }

    private static void within(String what, Duration d, Duration min) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException(what + " must be from " + min.toSeconds() + " s to 1 h, was " + d);
        }
    }
}
