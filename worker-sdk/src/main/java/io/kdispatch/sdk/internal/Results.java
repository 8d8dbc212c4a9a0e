package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.concurrent.TimeUnit;

/** Builds the {@link TaskResult} of an attempt. */
final class Results {
    private Results() {
    }

    /**
     * The result of one attempt. It carries this worker's own incarnation (not the one in the
     * assignment), so the dispatcher can ignore results that a restarted process produced for an
     * attempt given to its predecessor. {@code startedAt} and {@code completedAt} are wall-clock
     * timestamps; {@code durationMs} is measured on the monotonic clock, so a clock step while the
     * handler runs cannot distort the service times and slow-call judgements the dispatcher bases on it.
     */
    static TaskResult of(TaskAssignment assignment, long incarnation, Outcome outcome,
                         Moment started, Moment completed) {
        return of(assignment, incarnation, outcome, null, started, completed);
    }

    /**
     * As {@link #of(TaskAssignment, long, Outcome, Moment, Moment)}, also reporting how long the
     * assignment waited for a slot since {@code received} (monotonic clock): the dispatcher subtracts
     * it from the round trip to size its credit. A null {@code received} reports -1 (not measured).
     */
    static TaskResult of(TaskAssignment assignment, long incarnation, Outcome outcome,
                         Moment received, Moment started, Moment completed) {
        Task task = assignment.getTask();
        return TaskResult.newBuilder()
                .setTaskId(task.getId())
                .setWorkerId(assignment.getWorkerId())
                .setWorkerIncarnation(incarnation)
                .setAttempt(assignment.getAttempt())
                .setStatus(outcome.status())
                .setError(outcome.error())
                .setOutput(outcome.output() == null ? null : ByteBuffer.wrap(outcome.output()))
                .setStartedAt(started.wall())
                .setCompletedAt(completed.wall())
                .setDurationMs(Math.max(0, TimeUnit.NANOSECONDS.toMillis(completed.nanosSince(started))))
                .setQueuedMs(received == null ? -1 : Math.max(0, TimeUnit.NANOSECONDS.toMillis(started.nanosSince(received))))
                .setSubmittedAt(task.getSubmittedAt())
                .setHeaders(new HashMap<>(task.getHeaders()))
                .build();
    }

    /** The same result without its output, failed, because the output could not be published. */
    static TaskResult withoutOutput(TaskResult result, String error) {
        return TaskResult.newBuilder(result)
                .setStatus(io.kdispatch.schemas.ResultStatus.FAILED)
                .setOutput(null)
                .setError(error)
                .build();
    }
}
