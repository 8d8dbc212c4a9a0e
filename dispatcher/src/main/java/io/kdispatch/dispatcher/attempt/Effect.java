package io.kdispatch.dispatcher.attempt;

import io.kdispatch.dispatcher.routing.RoutingDecision;
import java.util.List;
import java.util.Objects;

/**
 * What the caller must do after a transition. Every effect names its outcome (STYLE.md #3); the caller
 * switches over them and applies each to its stores, topics and metrics.
 */
public sealed interface Effect {
    /** Write {@code attempt} to its worker's topic; {@code decision} explains why that worker. */
    record Send(Attempt attempt, RoutingDecision.Assigned decision) implements Effect {
        public Send {
            Objects.requireNonNull(attempt, "attempt");
            Objects.requireNonNull(decision, "decision");
        }
    }

    /**
     * {@code attempt} waits. {@code decision} is the router's reason when routing parked it, or null when
     * it waits out a retry backoff; {@code firstTime} is false when it was already waiting (so it is
     * neither explained nor counted again).
     */
    record Wait(Attempt attempt, RoutingDecision.Parked decision, boolean firstTime) implements Effect {
        public Wait {
            Objects.requireNonNull(attempt, "attempt");
        }
    }

    /** Dead-letter the task; {@code history} holds every attempt's outcome. */
    record DeadLetter(Attempt attempt, DeadLetterCause cause, String detail, List<Outcome> history)
            implements Effect {
        public DeadLetter {
            Objects.requireNonNull(attempt, "attempt");
            Objects.requireNonNull(cause, "cause");
            Objects.requireNonNull(detail, "detail");
            history = List.copyOf(history);
        }
    }

    /** The task succeeded on {@code attempt}'s worker after {@code durationMs}. */
    record Finish(Attempt attempt, long durationMs) implements Effect {
    }

    /**
     * A result of {@code attempt} counts: feed its worker's breaker and load estimate. Not emitted for
     * stale results or lease extensions.
     */
    record Accept(Attempt attempt, ResultFacts result) implements Effect {
    }

    /** A result or extension that matches no live attempt (stale, another incarnation): ignore, count. */
    record Ignore(String taskId, String why) implements Effect {
    }

    /** The task goes out again ({@code why}: resubmitted, failed, rejected, or a loss cause). */
    record Retry(Attempt attempt, String why) implements Effect {
    }
}
