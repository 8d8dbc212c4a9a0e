package io.kdispatch.dispatcher.health;

import java.time.Duration;
import java.util.Objects;

/**
 * When a silent worker becomes {@link Liveness#SUSPECT} and then {@link Liveness#DEAD}.
 * Defaults follow uForwarder: 1 s heartbeats, suspect after 2 s, dead after 5 s.
 *
 * <p>Both silences lie between {@link #MIN_SILENCE} and {@link #MAX_SILENCE}; the settings catalogue
 * ({@code config.Settings}) takes its ranges from these bounds.
 *
 * @param suspectAfter silence after which a worker gets no new tasks
 * @param deadAfter silence after which a worker's in-flight tasks are re-dispatched; longer than
 *     {@code suspectAfter}
 */
public record LivenessPolicy(Duration suspectAfter, Duration deadAfter) {
    public static final Duration DEFAULT_SUSPECT_AFTER = Duration.ofSeconds(2);
    public static final Duration DEFAULT_DEAD_AFTER = Duration.ofSeconds(5);
    /** Shortest silence accepted for either judgement. */
    public static final Duration MIN_SILENCE = Duration.ofMillis(100);
    /** Longest silence accepted for either judgement. */
    public static final Duration MAX_SILENCE = Duration.ofDays(1);

    public LivenessPolicy {
        Objects.requireNonNull(suspectAfter, "suspectAfter");
        Objects.requireNonNull(deadAfter, "deadAfter");
        if (suspectAfter.compareTo(MIN_SILENCE) < 0 || deadAfter.compareTo(MAX_SILENCE) > 0) {
            throw new IllegalArgumentException("suspectAfter and deadAfter must be between " + MIN_SILENCE + " and "
                    + MAX_SILENCE + ", were " + suspectAfter + " and " + deadAfter);
        }
        if (deadAfter.compareTo(suspectAfter) <= 0) {
            throw new IllegalArgumentException("deadAfter (" + deadAfter
                    + ") must be longer than suspectAfter (" + suspectAfter + ")");
        }
    }

    public static LivenessPolicy defaults() {
        return new LivenessPolicy(DEFAULT_SUSPECT_AFTER, DEFAULT_DEAD_AFTER);
    }

    /**
     * Judges a worker from what it last said about itself and how long ago it said it.
     *
     * @param announced the status in its latest heartbeat
     * @param lastSeenMs wall-clock time the dispatcher received that heartbeat
     * @param nowMs current wall-clock time
     */
    public Liveness judge(Announced announced, long lastSeenMs, long nowMs) {
        if (announced == Announced.LEAVING) {
            return Liveness.LEFT;
        }
        long silentMs = nowMs - lastSeenMs;
        if (silentMs >= deadAfter.toMillis()) {
            return Liveness.DEAD;
        }
        if (silentMs >= suspectAfter.toMillis()) {
            return Liveness.SUSPECT;
        }
        return announced == Announced.DRAINING ? Liveness.DRAINING : Liveness.READY;
    }

    /** What a worker says about itself, mirrored from the heartbeat schema without depending on it. */
    public enum Announced {
        READY, DRAINING, LEAVING
    }
}
