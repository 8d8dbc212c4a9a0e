package io.kdispatch.dispatcher.attempt;

import java.util.List;

/**
 * The result of one transition: the attempt to store ({@code null} when the task is finished or
 * dead-lettered and must be forgotten) and the effects to apply, in order.
 */
public record Step(Attempt next, List<Effect> effects) {
    public Step {
        effects = List.copyOf(effects);
    }

    /** Whether this step sends the attempt to a worker. */
    public boolean sent() {
        for (Effect effect : effects) {
            if (effect instanceof Effect.Send) {
                return true;
            }
        }
        return false;
    }

    /** Nothing changes. */
    static Step unchanged(Attempt current) {
        return new Step(current, List.of());
    }
}
