package io.kdispatch.dispatcher.attempt;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where one attempt of a task is in its life, with its legal transitions listed per state in the manner
 * of {@code KafkaStreams.State}. Only the live states ({@link #isLive()}) are ever stored; a task that
 * reaches {@link #DONE} or {@link #DEAD_LETTERED} is forgotten.
 */
public enum AttemptState {
    /** Waits for an eligible worker (no worker can take it, its key's worker is full, its type is paused). */
    PENDING,
    /** Failed on a worker and waits out its retry backoff before it may be routed again. */
    BACKING_OFF,
    /** Sent to a worker; its lease runs until a result, an extension, or the worker's loss. */
    ASSIGNED,
    /** Succeeded: the task is finished. */
    DONE,
    /** Given up on (invalid, past its deadline, out of attempts, poison): it is in the dead-letter topic. */
    DEAD_LETTERED;

    private static final Map<AttemptState, Set<AttemptState>> NEXT = new EnumMap<>(Map.of(
            PENDING, EnumSet.of(ASSIGNED, DEAD_LETTERED),
            BACKING_OFF, EnumSet.of(PENDING, ASSIGNED, DEAD_LETTERED),
            ASSIGNED, EnumSet.of(DONE, BACKING_OFF, PENDING, DEAD_LETTERED),
            DONE, EnumSet.noneOf(AttemptState.class),
            DEAD_LETTERED, EnumSet.noneOf(AttemptState.class)));

    /**
     * True when an attempt may move from this state to {@code next}. Staying put is legal for the live
     * states (a lease extension, a parked task that still cannot go); an ASSIGNED attempt may also be
     * followed by a new ASSIGNED attempt (a loss sent straight elsewhere, a resubmission).
     */
    public boolean canTransitionTo(AttemptState next) {
        return (next == this && isLive()) || NEXT.get(this).contains(next);
    }

    /** True for the states an attempt is stored in. */
    public boolean isLive() {
        return this == PENDING || this == BACKING_OFF || this == ASSIGNED;
    }

    /** True for the states in which an attempt waits for a worker. */
    public boolean isWaiting() {
        return this == PENDING || this == BACKING_OFF;
    }
}
