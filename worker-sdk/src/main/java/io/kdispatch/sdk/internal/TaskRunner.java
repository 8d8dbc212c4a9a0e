package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.sdk.ExecutionEvent;
import java.util.Queue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs assignments on the task pool and publishes their results.
 *
 * <p>Threading: {@link #submit} and {@link #reject} are called by the poll thread. For {@code submit}
 * it has already counted the assignment in {@code inFlight}; that count drops only after the result
 * was acknowledged (or given up on). The slot is counted apart ({@link #running()}): it is freed as
 * soon as the handler returns, and the thread publishes the result while the next task already runs
 * in the slot; a slot held until the broker's acknowledgement kept short tasks' slots idle for a
 * produce round trip each (benchmarks' short-tasks phase). Rejections are counted apart ({@link #rejecting()}) so that
 * they never take a slot. Either way {@code slotFreed} then wakes the poll thread. A completion is
 * queued for the poll thread to commit only after the broker acknowledged the result.
 *
 * <p>Each attempt runs through {@link AttemptCall}, which holds the rules of its result, inside the
 * {@code execute} span of {@link TaskTracing} (nothing when no OpenTelemetry SDK is configured). While a handler
 * runs, the {@link LeaseKeeper} renews its lease; the lease is closed before the final result is sent, so
 * the final result is the attempt's last record.
 */
final class TaskRunner {
    private static final Logger log = LoggerFactory.getLogger(TaskRunner.class);

    private final WorkerConfig config;
    private final long incarnation;
    private final Publisher publisher;
    private final ExecutorService pool;
    private final AtomicInteger inFlight;
    private final Queue<Completion> completions;
    private final BooleanSupplier aborted;
    private final Runnable slotFreed;
    private final LeaseKeeper leases;
    private final WorkerMetrics metrics;
    private final TaskTracing tracing;
    private final AtomicInteger rejecting = new AtomicInteger();
    private final AtomicInteger running = new AtomicInteger();

    TaskRunner(WorkerConfig config, long incarnation, Publisher publisher, ExecutorService pool,
               AtomicInteger inFlight, Queue<Completion> completions, BooleanSupplier aborted, Runnable slotFreed,
               LeaseKeeper leases, WorkerMetrics metrics) {
        this.leases = leases;
        this.metrics = metrics;
        this.config = config;
        this.tracing = new TaskTracing(config.openTelemetry());
        this.incarnation = incarnation;
        this.publisher = publisher;
        this.pool = pool;
        this.inFlight = inFlight;
        this.completions = completions;
        this.aborted = aborted;
        this.slotFreed = slotFreed;
    }

    /** Runs the assignment on a task thread, in a slot. */
    void submit(Pending pending) {
        running.incrementAndGet();
        try {
            pool.execute(() -> run(pending));
        } catch (RejectedExecutionException e) {
            running.decrementAndGet();
            finish(); // the pool was stopped by abort(): the task stays uncommitted
        }
    }

    /** Slots taken: handlers running (their results may still be publishing after they leave it). */
    int running() {
        return running.get();
    }

    /** REJECTED answers sent and not yet acknowledged (or given up on). */
    int rejecting() {
        return rejecting.get();
    }

    /** Answers the assignment with REJECTED without running it (the worker is draining or saturated). */
    void reject(Pending pending, String reason) {
        rejecting.incrementAndGet();
        TaskResult result = AttemptCall.rejected(pending.assignment(), incarnation, reason, config.clock());
        try {
            publisher.sendResult(pending.assignment().getRoutingKey(), result, (metadata, error) -> {
                if (error == null) {
                    published(pending, result);
                } else {
                    log.warn("worker {}: could not publish REJECTED for task {}; it stays uncommitted: {}",
                            config.workerId(), pending.taskId(), error.toString());
                }
                rejected();
            });
        } catch (RuntimeException e) {
            log.warn("worker {}: could not publish REJECTED for task {}; it stays uncommitted: {}",
                    config.workerId(), pending.taskId(), e.toString());
            rejected();
        }
    }

    private void rejected() {
        rejecting.decrementAndGet();
        slotFreed.run();
    }

    private void run(Pending pending) {
        try {
            TaskAssignment assignment = pending.assignment();
            Moment started = Moment.now(config.clock());
            TaskResult result;
            try {
                result = tracing.execute(assignment, config.workerId(), () -> AttemptCall.run(assignment,
                        config.workerId(), incarnation, config.handler(), config.clock(), pending.receivedAt(), started,
                        () -> leases.open(assignment, pending.lease(), started), aborted, metrics::ran));
            } finally {
                running.decrementAndGet(); // the slot is free once the handler returned; publishing is not in it
                slotFreed.run();
            }
            if (result != null && publisher.publishResult(assignment.getRoutingKey(), result, aborted)) {
                published(pending, result);
            }
        } finally {
            finish();
        }
    }

    private void published(Pending pending, TaskResult result) {
        completions.add(new Completion(pending.partition(), pending.offset()));
        metrics.published(result.getStatus());
        ExecutionEvent event = new ExecutionEvent(result.getTaskId(), config.workerId(), incarnation,
                result.getAttempt(), result.getStatus(), result.getError(), result.getDurationMs());
        if (config.listener() == null) {
            return;
        }
        try {
            config.listener().onExecuted(event);
        } catch (RuntimeException e) {
            log.warn("worker {}: listener failed on task {}: {}", config.workerId(), result.getTaskId(), e.toString());
        }
    }

    private void finish() {
        inFlight.decrementAndGet();
        slotFreed.run();
    }
}
