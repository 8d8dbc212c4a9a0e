package io.kdispatch.sdk.internal;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Chooses a worker's incarnation, the number its heartbeats and results carry so the dispatcher
 * can tell a restarted process from the one before it.
 *
 * <p>Random, so no state needs to survive a restart, and within {@code [1, MAX]}, so every client
 * of the public topics reads it exactly: JSON and JavaScript hold integers exactly only up to
 * 2^53 - 1, and avsc (the Avro library behind Confluent's JavaScript deserializer) refuses a long
 * beyond ±(2^53 - 2) with "potential precision loss". Incarnations used to be random 63-bit values,
 * which that deserializer refused in nearly every heartbeat and result.
 *
 * <p>Collision odds: there are about 9.0e15 values, so a restart draws the same incarnation as
 * the run before it (the case in which the dispatcher would take the restart for the same run)
 * with probability 1 / (2^53 - 2), about 1.1e-16; among n runs of one worker ID, some two share a
 * value with probability about n^2 / 2^54, 5.6e-5 for a million restarts. 63 bits made both
 * smaller, but no client outside Java could read them.
 */
public final class Incarnations {
    /** The largest incarnation: 2^53 - 2, the largest long avsc decodes. */
    public static final long MAX = (1L << 53) - 2;

    private Incarnations() {
    }

    /** A new random incarnation in {@code [1, MAX]}. Thread-safe. */
    public static long next() {
        return ThreadLocalRandom.current().nextLong(1, MAX + 1);
    }
}
