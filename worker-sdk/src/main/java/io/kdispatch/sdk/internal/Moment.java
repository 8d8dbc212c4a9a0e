package io.kdispatch.sdk.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * One point in time on the worker, read from both of its clocks: {@code wall} from the builder's
 * {@link Clock}, for timestamps and for an older dispatcher's absolute lease deadline, and
 * {@code nanos} from {@link System#nanoTime()}, for durations. Durations are never wall-clock
 * differences: the wall clock may be stepped (NTP, an operator) while a task waits or runs.
 *
 * @param wall the wall-clock time
 * @param nanos the monotonic time; only differences between two values mean anything
 */
record Moment(Instant wall, long nanos) {

    /** Now, on both clocks. */
    static Moment now(Clock clock) {
        return new Moment(clock.instant(), System.nanoTime());
    }

    /** Nanoseconds from {@code earlier} to this moment, on the monotonic clock. */
    long nanosSince(Moment earlier) {
        return nanos - earlier.nanos;
    }
}
