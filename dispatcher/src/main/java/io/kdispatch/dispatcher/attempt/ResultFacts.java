package io.kdispatch.dispatcher.attempt;

import java.util.Objects;

/**
 * A worker's report on one attempt.
 *
 * @param taskId the task
 * @param workerId the worker that reports
 * @param incarnation its incarnation, or 0 when unknown (an older SDK)
 * @param attempt the attempt number it echoes
 * @param status how the attempt ended
 * @param error the error text, or null
 * @param durationMs how long it ran
 * @param queuedMs how long it waited on the worker before it started, or -1 when the worker did not say
 */
public record ResultFacts(String taskId, String workerId, long incarnation, int attempt, Status status, String error,
                          long durationMs, long queuedMs) {
    /** The ends an attempt can report. A lease extension is not a result and has its own input. */
    public enum Status {
        SUCCEEDED,
        /** The handler failed: counts towards maxAttempts and the worker's breaker. */
        FAILED,
        /** The worker was saturated and did not run it: a failure for the breaker, retried elsewhere. */
        REJECTED
    }

    public ResultFacts {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(status, "status");
    }

    /** A report that does not say how long the attempt waited on the worker. */
    public ResultFacts(String taskId, String workerId, long incarnation, int attempt, Status status, String error,
                       long durationMs) {
        this(taskId, workerId, incarnation, attempt, status, error, durationMs, -1);
    }
}
