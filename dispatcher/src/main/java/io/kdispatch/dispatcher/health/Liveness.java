package io.kdispatch.dispatcher.health;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Liveness of a worker as the dispatcher judges it from heartbeats and wall-clock time.
 *
 * <p>Only {@link #READY} workers receive new tasks. {@link #DEAD} workers lose their in-flight tasks
 * to re-dispatch. Legal transitions are listed per state, in the manner of {@code KafkaStreams.State}.
 */
public enum Liveness {
    /** Seen for the first time. Routed to like READY. */
    JOINING,
    /** Heartbeating on time and asking for work. */
    READY,
    /** Missed a few heartbeats: no new tasks, in-flight tasks stay. */
    SUSPECT,
    /** Missed enough heartbeats to be presumed gone: its in-flight tasks are re-dispatched. */
    DEAD,
    /** Asked to finish what it has and take nothing new (rolling update). */
    DRAINING,
    /** Said goodbye. */
    LEFT;

    private static final Map<Liveness, Set<Liveness>> NEXT = new EnumMap<>(Map.of(
            JOINING, EnumSet.of(READY, SUSPECT, DEAD, DRAINING, LEFT),
            READY, EnumSet.of(SUSPECT, DEAD, DRAINING, LEFT),
            SUSPECT, EnumSet.of(READY, DEAD, DRAINING, LEFT),
            DEAD, EnumSet.of(JOINING, READY, DRAINING, LEFT),
            DRAINING, EnumSet.of(READY, SUSPECT, DEAD, LEFT),
            LEFT, EnumSet.of(JOINING, READY)));

    /** True when a worker in this state may receive new tasks. */
    public boolean acceptsWork() {
        return this == READY || this == JOINING;
    }

    /** True when the transition {@code this -> target} is legal (staying put always is). */
    public boolean canTransitionTo(Liveness target) {
        return target == this || NEXT.get(this).contains(target);
    }

    /** States that keep a worker's in-flight tasks where they are. */
    public static Set<Liveness> keepsInFlight() {
        return EnumSet.of(JOINING, READY, SUSPECT, DRAINING);
    }
}
