package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces the worker on the heartbeat topic every {@code heartbeatInterval}, on one scheduled
 * thread named {@code kdispatch-worker-<id>-heartbeat}. Sends are asynchronous; a failure is
 * logged once at WARN until a send succeeds again, so an unreachable cluster does not flood the log.
 */
final class Heartbeater {
    private static final Logger log = LoggerFactory.getLogger(Heartbeater.class);

    private final WorkerConfig config;
    private final Publisher publisher;
    private final Supplier<WorkerHeartbeat.Builder> snapshot;
    private final ScheduledExecutorService scheduler;
    private volatile boolean failing;

    /**
     * @param snapshot the current load and status (everything except sentAt), called per beat
     */
    Heartbeater(WorkerConfig config, Publisher publisher, Supplier<WorkerHeartbeat.Builder> snapshot) {
        this.config = config;
        this.publisher = publisher;
        this.snapshot = snapshot;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                NamedThreads.single("kdispatch-worker-" + config.workerId() + "-heartbeat"));
    }

    /**
     * Sends one heartbeat and waits for it, on the calling thread (used for the first heartbeat,
     * so that {@code start()} fails fast when the registry or the topic is unusable, and for the
     * final LEAVING one).
     *
     * @throws ExecutionException when the broker refused it
     * @throws TimeoutException when it was not acknowledged in time
     */
    RecordMetadata sendAndWait(WorkerStatus status, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        WorkerHeartbeat heartbeat = snapshot.get().setStatus(status).setSentAt(config.clock().instant()).build();
        return publisher.sendHeartbeat(heartbeat, null).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Beats every interval from now on, the first one after one interval. */
    void start() {
        long millis = config.heartbeatInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::beat, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** Beats now, off the calling thread (e.g. to announce DRAINING at once). */
    void beatSoon() {
        try {
            scheduler.execute(this::beat);
        } catch (RejectedExecutionException e) {
            log.debug("worker {}: heartbeat thread already stopped", config.workerId());
        }
    }

    /** Stops the periodic beats and waits (bounded) for a beat being sent to finish. */
    void stop(Duration timeout) throws InterruptedException {
        scheduler.shutdown();
        if (!scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            scheduler.shutdownNow();
        }
    }

    /** Stops at once (abort). */
    void stopNow() {
        scheduler.shutdownNow();
    }

    boolean awaitStopped(Duration timeout) throws InterruptedException {
        return scheduler.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            WorkerHeartbeat heartbeat = snapshot.get().setSentAt(config.clock().instant()).build();
            publisher.sendHeartbeat(heartbeat, (metadata, error) -> report(error));
        } catch (RuntimeException e) {
            report(e);
        }
    }

    private void report(Exception error) {
        if (error == null) {
            if (failing) {
                log.info("worker {}: heartbeats are being delivered again", config.workerId());
            }
            failing = false;
        } else if (!failing) {
            failing = true;
            log.warn("worker {}: could not send a heartbeat to {} (will keep trying every {}): {}",
                    config.workerId(), config.topics().heartbeats(), config.heartbeatInterval(), error.toString());
        }
    }
}
