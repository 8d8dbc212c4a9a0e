package io.kdispatch.testkit;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.TaskResult;

/**
 * Where a task is, as {@link DispatcherTestKit#fate(String)} sees it: one record per outcome, to switch or
 * assert on. Each carries the evidence: the dispatcher's latest {@link RoutingExplanation} (what
 * {@code explain} would show), the dead letter, or the accepted result.
 */
public sealed interface TaskFate {

    /**
     * The current attempt is with a worker.
     *
     * @param workerId the worker it was sent to
     * @param attempt the attempt number (1 for the first)
     * @param why the routing decision: candidates, the rule that excluded each other worker, the strategy
     */
    record Assigned(String workerId, int attempt, RoutingExplanation why) implements TaskFate {
    }

    /**
     * The task waits: for a worker that can take it (parked) or for a retry backoff to pass.
     *
     * @param backingOff true while a failed attempt waits out its backoff, false while parked
     * @param attempt the attempt that waits
     * @param why the latest routing decision, whose {@code reason} says why it waits (may be {@code null} for
     *     a retry that has not been routed yet)
     */
    record Waiting(boolean backingOff, int attempt, RoutingExplanation why) implements TaskFate {
    }

    /**
     * The dispatcher gave up on the task.
     *
     * @param letter the dead letter it wrote, with its reason, detail and every attempt
     */
    record DeadLettered(DeadLetter letter) implements TaskFate {
        /** The reason, e.g. {@code MAX_ATTEMPTS} or {@code DEADLINE_EXPIRED}. */
        public DeadLetterReason reason() {
            return letter.getReason();
        }
    }

    /**
     * A worker's result closed the task.
     *
     * @param result the result that did (status {@code SUCCEEDED}: a failure is retried or dead-lettered)
     */
    record Finished(TaskResult result) implements TaskFate {
        /** The worker that finished it. */
        public String workerId() {
            return result.getWorkerId();
        }
    }

    /** The dispatcher has never seen the task (or the kit cannot tell what became of it). */
    record Unknown(String taskId) implements TaskFate {
    }
}
