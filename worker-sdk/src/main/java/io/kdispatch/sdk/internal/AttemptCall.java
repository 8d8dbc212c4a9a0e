package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.sdk.TaskHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt's handler call, as a worker makes it, and the result the worker publishes for it: an
 * attempt whose deadline has passed is not run and fails; a handler that returns succeeds with its output;
 * one that throws anything fails with the exception's message; an attempt stopped by an abort publishes
 * nothing (the dispatcher's lease takes over). {@link TaskRunner} runs every assignment through here, and
 * the test kit's {@code HandlerTestKit} and {@code FakeWorker} do too, so a test sees exactly the record a
 * worker would publish. Not an API: public only for the test kit.
 */
public final class AttemptCall {
    private static final Logger log = LoggerFactory.getLogger(AttemptCall.class);

    /** The lease of a running attempt, as its {@code TaskContext} reaches it. */
    public interface Lease {
        /** The handler asked for an extension now ({@code TaskContext.extendLease()}). */
        void extend();

        /** The handler returned: no more extensions. Idempotent. */
        void close();
    }

    private AttemptCall() {
    }

    /**
     * Runs {@code handler} for {@code assignment} now (on {@code clock}) on the calling thread, as a worker
     * that received it just now (the result reports no wait for a slot: {@code queuedMs} 0).
     *
     * @param lease opened only when the handler runs, closed when it returns
     * @param aborted true once the attempt is abandoned (the worker aborts): nothing is published then
     * @return the result a worker would publish, or {@code null} when it would publish none
     */
    public static TaskResult run(TaskAssignment assignment, String workerId, long incarnation, TaskHandler handler,
                                 Clock clock, Supplier<Lease> lease, BooleanSupplier aborted) {
        Moment now = Moment.now(clock);
        return run(assignment, workerId, incarnation, handler, clock, now, now, lease, aborted, ran -> { });
    }

    /**
     * As {@link #run(TaskAssignment, String, long, TaskHandler, Clock, Supplier, BooleanSupplier)}, for an
     * assignment {@code received} then and started at {@code started}: the result reports the wait between
     * the two ({@code queuedMs}), and {@code ranFor} gets how long the handler ran when it did.
     */
    static TaskResult run(TaskAssignment assignment, String workerId, long incarnation, TaskHandler handler,
                          Clock clock, Moment received, Moment started, Supplier<Lease> lease,
                          BooleanSupplier aborted, Consumer<Duration> ranFor) {
        Outcome outcome = execute(assignment, workerId, handler, started, lease, aborted, ranFor);
        Moment completed = Moment.now(clock);
        if (aborted.getAsBoolean()) {
            return null; // a crashed process publishes nothing: the dispatcher's lease takes over
        }
        Thread.interrupted(); // a handler's own interrupt must not stop the result from being sent
        return Results.of(assignment, incarnation, outcome, received, started, completed);
    }

    /** The {@code REJECTED} answer a worker that is draining or saturated sends without running the task. */
    public static TaskResult rejected(TaskAssignment assignment, long incarnation, String reason, Clock clock) {
        Moment now = Moment.now(clock);
        return Results.of(assignment, incarnation, Outcome.rejected(reason), now, now);
    }

    /**
     * The {@code LEASE_EXTENSION} record a worker sends for an attempt it still runs (not a result: it only
     * renews the lease), as if the handler had started just now.
     */
    public static TaskResult leaseExtension(TaskAssignment assignment, long incarnation, Clock clock) {
        Moment now = Moment.now(clock);
        return leaseExtension(assignment, incarnation, now, now);
    }

    /** The extension for an attempt whose handler started at {@code started}. */
    static TaskResult leaseExtension(TaskAssignment assignment, long incarnation, Moment started, Moment now) {
        return Results.of(assignment, incarnation, Outcome.leaseExtension(), started, now);
    }

    private static Outcome execute(TaskAssignment assignment, String workerId, TaskHandler handler, Moment started,
                                   Supplier<Lease> leases, BooleanSupplier aborted, Consumer<Duration> ranFor) {
        Task task = assignment.getTask();
        Instant deadline = task.getDeadline();
        Instant now = started.wall();
        if (deadline != null && deadline.isBefore(now)) {
            log.info("worker {}: task {} attempt {} not run: its deadline {} has passed",
                    workerId, task.getId(), assignment.getAttempt(), deadline);
            return Outcome.failed("deadline " + deadline + " passed before worker " + workerId
                    + " could start the task (at " + now + "); it was not run");
        }
        Lease lease = leases.get();
        try {
            return Outcome.succeeded(handler.handle(new AssignmentContext(assignment, workerId, lease)));
        } catch (Throwable t) { // anything the handler throws fails the attempt; nothing may vanish
            if (!aborted.getAsBoolean()) {
                log.info("worker {}: task {} attempt {} failed: {}",
                        workerId, task.getId(), assignment.getAttempt(), t.toString());
            }
            return Outcome.threw(t);
        } finally {
            lease.close();
            ranFor.accept(Duration.ofNanos(System.nanoTime() - started.nanos()));
        }
    }
}
