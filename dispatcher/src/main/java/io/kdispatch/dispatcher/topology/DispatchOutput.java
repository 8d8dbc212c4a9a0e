package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.TaskAssignment;

/** What the dispatch processor writes, each to its own sink. */
sealed interface DispatchOutput {
    /** To the worker's own topic. */
    record ToWorker(TaskAssignment assignment) implements DispatchOutput {
    }

    /** To the dead-letter topic. */
    record ToDeadLetters(DeadLetter deadLetter) implements DispatchOutput {
    }

    /** To the decisions topic, which explain reads. */
    record ToDecisions(RoutingExplanation explanation) implements DispatchOutput {
    }
}
