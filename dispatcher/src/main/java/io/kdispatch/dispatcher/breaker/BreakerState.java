package io.kdispatch.dispatcher.breaker;

import java.util.EnumSet;
import java.util.Set;

/** States of a per-worker circuit breaker, with their legal transitions. */
public enum BreakerState {
    /** Tasks flow; results are counted in a sliding window. */
    CLOSED,
    /** The worker is ejected: it gets no tasks until the open wait ends. */
    OPEN,
    /** A few probe tasks go through; their results close or reopen the breaker. */
    HALF_OPEN;

    /** True when the transition {@code this -> next} is legal (staying put always is). */
    public boolean canTransitionTo(BreakerState next) {
        return next == this || allowed().contains(next);
    }

    private Set<BreakerState> allowed() {
        return switch (this) {
            case CLOSED -> EnumSet.of(OPEN);
            case OPEN -> EnumSet.of(HALF_OPEN);
            case HALF_OPEN -> EnumSet.of(CLOSED, OPEN);
        };
    }
}
