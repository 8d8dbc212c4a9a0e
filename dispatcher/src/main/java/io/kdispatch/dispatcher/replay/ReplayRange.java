package io.kdispatch.dispatcher.replay;

import java.time.Instant;

/**
 * Which part of each partition a replay reads. Starts at {@code fromOffset} or at the first record at or
 * after {@code fromTime} (else the log start); stops after {@code toOffset} (inclusive), before the first
 * record later than {@code toTime}, and always at the end offset captured when the replay starts, so a
 * replay of a topic it writes to (the intake) still ends.
 *
 * @param fromOffset first offset per partition, or {@code null}
 * @param fromTime first record time, or {@code null}; not together with {@code fromOffset}
 * @param toOffset last offset per partition (inclusive), or {@code null}
 * @param toTime last record time (inclusive), or {@code null}; not together with {@code toOffset}
 */
public record ReplayRange(Long fromOffset, Instant fromTime, Long toOffset, Instant toTime) {
    public ReplayRange {
        if (fromOffset != null && fromTime != null) {
            throw new IllegalArgumentException("give --from-offset or --from-time, not both");
        }
        if (toOffset != null && toTime != null) {
            throw new IllegalArgumentException("give --to-offset or --to-time, not both");
        }
        if (fromOffset != null && fromOffset < 0) {
            throw new IllegalArgumentException("--from-offset must be 0 or more, was " + fromOffset);
        }
        if (toOffset != null && toOffset < 0) {
            throw new IllegalArgumentException("--to-offset must be 0 or more, was " + toOffset);
        }
        if (fromOffset != null && toOffset != null && toOffset < fromOffset) {
            throw new IllegalArgumentException("--to-offset " + toOffset + " is before --from-offset " + fromOffset);
        }
        if (fromTime != null && toTime != null && toTime.isBefore(fromTime)) {
            throw new IllegalArgumentException("--to-time " + toTime + " is before --from-time " + fromTime);
        }
    }

    /** The whole topic, as it is when the replay starts. */
    public static ReplayRange everything() {
        return new ReplayRange(null, null, null, null);
    }

    /** True when a record at this offset and time is past the end of the range. */
    public boolean isPastEnd(long offset, long timestampMs) {
        return (toOffset != null && offset > toOffset) || (toTime != null && timestampMs > toTime.toEpochMilli());
    }
}
