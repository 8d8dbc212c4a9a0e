package io.kdispatch.sdk;

import io.kdispatch.schemas.ResultStatus;

/**
 * One attempt a worker finished and published a result for.
 *
 * @param taskId the task's ID
 * @param workerId the worker that ran it
 * @param incarnation the incarnation of that worker ({@link Worker#incarnation()}), which tells
 *     runs before and after a restart apart
 * @param attempt the attempt number from the assignment (1 for the first)
 * @param status {@code SUCCEEDED}, {@code FAILED} (handler threw, or the deadline had passed) or
 *     {@code REJECTED} (the worker was draining or saturated and did not run it); never
 *     {@code LEASE_EXTENSION}, which is not a result
 * @param error why it failed or was rejected; {@code null} when it succeeded
 * @param durationMs how long the handler ran (0 when it did not run)
 */
public record ExecutionEvent(
        String taskId,
        String workerId,
        long incarnation,
        int attempt,
        ResultStatus status,
        String error,
        long durationMs) {
}
