package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the leases of running tasks alive: while a handler runs, sends a {@code LEASE_EXTENSION}
 * result each {@link LeaseTerms#renewInterval() renewal interval} (a third of {@code leaseMs},
 * counted on this worker's monotonic clock from receipt, the receipt itself counting as the first
 * renewal; or, from an older dispatcher without {@code leaseMs}, half of
 * {@code leaseDeadline - assignedAt}), so the dispatcher does not re-dispatch a task that is merely
 * slow. A task that starts when its first renewal is already due renews at once.
 *
 * <p>One scheduled thread, {@code kdispatch-worker-<id>-lease}, serves every task. Extensions are
 * fire-and-forget: a failed send is logged and the next one tries again. They are not results: they
 * never reach the {@code WorkerListener} and are never committed.
 */
final class LeaseKeeper {
    private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

    private final WorkerConfig config;
    private final long incarnation;
    private final Publisher publisher;
    private final WorkerMetrics metrics;
    private final BooleanSupplier aborted;
    private final ScheduledExecutorService scheduler;

    LeaseKeeper(WorkerConfig config, long incarnation, Publisher publisher, WorkerMetrics metrics,
                BooleanSupplier aborted) {
        this.config = config;
        this.incarnation = incarnation;
        this.publisher = publisher;
        this.metrics = metrics;
        this.aborted = aborted;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                NamedThreads.single("kdispatch-worker-" + config.workerId() + "-lease"));
    }

    /** Starts keeping the lease of an attempt whose handler starts now; close the lease when it returns. */
    Lease open(TaskAssignment assignment, LeaseTerms terms, Moment startedAt) {
        Lease lease = new Lease(assignment, terms, startedAt);
        lease.scheduleFirst();
        return lease;
    }

    /** Stops the thread; leases still open are no longer renewed. */
    void stop() {
        scheduler.shutdownNow();
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The lease of one running attempt. Thread-safe: the lease thread renews it, the handler may
     * {@link #extend()} it, the task thread {@link #close()}s it. Renewals and close are serialized,
     * so no extension is sent after {@code close()} returns: the final result is always the last
     * record of the attempt.
     */
    final class Lease implements AttemptCall.Lease {
        private final TaskAssignment assignment;
        private final LeaseTerms terms;
        private final Moment startedAt;
        private final Duration interval;
        private ScheduledFuture<?> next;
        private boolean closed;

        private Lease(TaskAssignment assignment, LeaseTerms terms, Moment startedAt) {
            this.assignment = assignment;
            this.terms = terms;
            this.startedAt = startedAt;
            this.interval = terms.renewInterval();
        }

        private synchronized void scheduleFirst() {
            if (interval != null) {
                schedule(terms.firstRenewalDelayMs(startedAt));
            }
        }

        /** Sends an extension now (explicit request by the handler) and restarts the automatic timer. */
        @Override
        public synchronized void extend() {
            if (!closed) {
                renew("on request");
            }
        }

        /** The handler returned: no more extensions. Idempotent. */
        @Override
        public synchronized void close() {
            closed = true;
            if (next != null) {
                next.cancel(false);
            }
        }

        private synchronized void onTimer() {
            if (closed) {
                return;
            }
            Duration running = Duration.ofNanos(Moment.now(config.clock()).nanosSince(startedAt));
            if (running.compareTo(config.maxTaskDuration()) >= 0) {
                log.warn("worker {}: task {} has run longer than maxTaskDuration ({}); its lease is no longer renewed "
                        + "automatically, so the dispatcher will send it elsewhere", config.workerId(),
                        assignment.getTask().getId(), config.maxTaskDuration());
                return;
            }
            renew("automatically");
        }

        private void renew(String how) {
            if (next != null) {
                next.cancel(false);
            }
            if (!aborted.getAsBoolean()) {
                send(how);
                if (interval != null) {
                    schedule(interval.toMillis());
                }
            }
        }

        private void schedule(long delayMillis) {
            try {
                next = scheduler.schedule(this::onTimer, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                next = null; // the worker is stopping: no more renewals
            }
        }

        private void send(String how) {
            String taskId = assignment.getTask().getId();
            try {
                TaskResult extension = AttemptCall.leaseExtension(assignment, incarnation, startedAt,
                        Moment.now(config.clock()));
                publisher.sendResult(assignment.getRoutingKey(), extension, (metadata, error) -> {
                    if (error == null) {
                        metrics.leaseExtended();
                    } else {
                        failed(taskId, how, error);
                    }
                });
                log.debug("worker {}: extending the lease of task {} attempt {} {}", config.workerId(), taskId,
                        assignment.getAttempt(), how);
            } catch (RuntimeException e) { // serialization, registry, or a producer closed by abort()
                failed(taskId, how, e);
            }
        }

        private void failed(String taskId, String how, Exception error) {
            log.warn("worker {}: could not extend the lease of task {} attempt {} ({}); the dispatcher may"
                    + " dispatch it again if no later extension or result arrives in time: {}", config.workerId(),
                    taskId, assignment.getAttempt(), how, error.toString());
        }
    }
}
