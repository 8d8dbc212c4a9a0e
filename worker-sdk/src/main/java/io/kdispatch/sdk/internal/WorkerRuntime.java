package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.RegistryWait;
import io.kdispatch.schemas.serde.SchemaRegistryException;
import io.kdispatch.schemas.startup.ClusterWaits;
import io.kdispatch.schemas.startup.StartupException;
import io.kdispatch.schemas.startup.StartupWait;
import io.kdispatch.sdk.Worker.State;
import io.kdispatch.sdk.WorkerStartException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one started worker runs: the poll thread, the task pool, the heartbeat thread and
 * the Kafka clients. {@link io.kdispatch.sdk.Worker} drives it through its {@link Lifecycle}.
 *
 * <p>Teardown has two paths. Graceful: the poll thread drains, commits, and then (on that thread)
 * says goodbye and closes everything. Immediate ({@link #abort()}, or a failed poll loop): stop
 * every thread at once, publish and commit nothing more, close the clients without waiting.
 */
public final class WorkerRuntime {
    private static final Logger log = LoggerFactory.getLogger(WorkerRuntime.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final WorkerConfig config;
    private final Lifecycle lifecycle;
    private final long incarnation;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean aborting = new AtomicBoolean();
    private Codecs codecs;
    private Publisher publisher;
    private Heartbeater heartbeater;
    private ExecutorService pool;
    private AssignmentPoller poller;
    private Thread pollThread;
    private LeaseKeeper leases;
    private WorkerMetrics metrics = WorkerMetrics.NONE;

    public WorkerRuntime(WorkerConfig config, Lifecycle lifecycle, long incarnation) {
        this.config = config;
        this.lifecycle = lifecycle;
        this.incarnation = incarnation;
    }

    /**
     * Starts clients and threads, waiting (see {@link StartupWait}) for the cluster, the shared topics
     * and the registry; on failure releases whatever was started.
     *
     * @throws WorkerStartException saying what failed and what to check, or that the wait was stopped
     */
    public void start(StartupWait wait) {
        try {
            TopicSetup.ensure(config, wait);
            RegistryWait.await(config.serdeConfig(), wait);
            codecs = new Codecs(config.serdeConfig());
            publisher = new Publisher(new KafkaProducer<>(KafkaSettings.producer(config.bootstrapServers(),
                    KafkaSettings.clientId(config.workerId(), "results"), config.kafkaProperties())),
                    codecs, config.topics(), config.workerId());
            heartbeater = new Heartbeater(config, publisher, this::snapshot);
            firstHeartbeat(wait);
            startPolling();
            heartbeater.start();
        } catch (StartupException e) {
            stopNow();
            throw new WorkerStartException(e.getMessage(), e.getCause());
        } catch (KafkaException | IllegalArgumentException e) {
            stopNow();
            throw new WorkerStartException("worker " + config.workerId()
                    + ": invalid Kafka client or serde settings: " + e.getMessage(), e);
        }
    }

    /** The first heartbeat proves the registry takes our schemas and the heartbeat topic takes writes. */
    private void firstHeartbeat(StartupWait wait) {
        wait.until("the first heartbeat to be acknowledged", config.startTimeout(), timeout -> {
            try {
                heartbeater.sendAndWait(WorkerStatus.READY, timeout);
                return StartupWait.Outcome.ready(null);
            } catch (ExecutionException | TimeoutException | KafkaException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                String reason = "could not publish its first heartbeat to " + config.topics().heartbeats() + " within "
                        + StartupWait.format(timeout) + " (check the schema registry "
                        + config.serdeConfig().registryUrl() + " and write access to the topic)";
                boolean registryAway = cause instanceof SchemaRegistryException registry && registry.isRetriable();
                if (registryAway || ClusterWaits.isTransient(cause)) {
                    return StartupWait.Outcome.notReady(reason, cause);
                }
                throw wait.fatal(reason, cause);
            }
        });
    }

    private void startPolling() {
        Map<String, Object> consumerProps = KafkaSettings.consumer(
                config.bootstrapServers(), config.workerId(), config.capacity(), config.kafkaProperties());
        int batch = Integer.parseInt(String.valueOf(consumerProps.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)));
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(consumerProps);
        // A cached pool: a thread is created only when none is idle, so the pool holds about as many
        // threads as tasks actually run at once (Admission bounds that by the capacity). A fixed pool of
        // `capacity` core threads created a new thread for each of the first `capacity` tasks, even with
        // idle ones: thousands of threads for a worker of short tasks, and thread creation was 30% of
        // such a worker's CPU (benchmarks' full-loop profile).
        pool = Executors.newCachedThreadPool(NamedThreads.numbered("kdispatch-worker-" + config.workerId() + "-task"));
        metrics = config.metrics().create(config.workerId(), inFlight::get, this::queued);
        Admission admission = new Admission(config.workerId(), incarnation, config.capacity(), config.maxQueued());
        poller = new AssignmentPoller(config, consumer, batch, codecs, inFlight, admission, metrics, this::pollerExited);
        leases = new LeaseKeeper(config, incarnation, publisher, metrics, poller::aborted);
        poller.bind(new TaskRunner(config, incarnation, publisher, pool, inFlight, poller.completions(),
                poller::aborted, poller::slotFreed, leases, metrics));
        pollThread = NamedThreads.single("kdispatch-worker-" + config.workerId() + "-poll").newThread(poller);
        pollThread.start();
    }

    /** Tasks running or publishing their result. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Assignments fetched and waiting for a slot. */
    public int queued() {
        AssignmentPoller current = poller;
        return current == null ? 0 : current.queued();
    }

    /** Assignments in the worker's topic it has not read yet, as of its last look. */
    int unread() {
        AssignmentPoller current = poller;
        return current == null ? 0 : current.unread();
    }

    /** Assignments not run because the dispatcher had already moved them elsewhere. */
    public long skipped() {
        AssignmentPoller current = poller;
        return current == null ? 0 : current.skipped();
    }

    /** Announces DRAINING and lets the poll thread finish; returns at once. */
    public void drain() {
        log.info("worker {}: draining ({} task(s) in flight)", config.workerId(), inFlight.get());
        heartbeater.beatSoon();
        poller.drain();
    }

    /**
     * Stops at once, publishing and committing nothing more; waits (bounded) for the threads.
     * When already terminated (or aborting), only waits for the threads.
     */
    public void abort() {
        if (lifecycle.state() == State.TERMINATED || !aborting.compareAndSet(false, true)) {
            awaitThreads(STOP_TIMEOUT);
            return;
        }
        log.info("worker {}: aborting ({} task(s) in flight are abandoned)", config.workerId(), inFlight.get());
        if (poller != null) {
            poller.abort();
        }
        stopNow();
        awaitThreads(STOP_TIMEOUT);
        closeCodecs();
        lifecycle.tryTransition(State.TERMINATED);
    }

    /** Waits for every thread this runtime started to end; true when all did within the timeout. */
    public boolean awaitThreads(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (pollThread != null && pollThread != Thread.currentThread()) {
                pollThread.join(Math.max(1, remainingMillis(deadline)));
            }
            boolean poolDone = pool == null || pool.awaitTermination(remainingMillis(deadline), TimeUnit.MILLISECONDS);
            boolean beatDone = heartbeater == null || heartbeater.awaitStopped(Duration.ofMillis(remainingMillis(deadline)));
            boolean leasesDone = leases == null || leases.awaitStopped(Duration.ofMillis(remainingMillis(deadline)));
            return poolDone && beatDone && leasesDone && (pollThread == null || !pollThread.isAlive()
                    || pollThread == Thread.currentThread());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static long remainingMillis(long deadlineNanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
    }

    /** Called last on the poll thread. */
    private void pollerExited(Exception failure) {
        if (failure != null) {
            log.error("worker {}: stopping: the poll loop failed: {}", config.workerId(), failure.toString(), failure);
            abort();
        } else if (!poller.aborted()) {
            finishGracefully();
        }
    }

    private void finishGracefully() {
        try {
            heartbeater.stop(STOP_TIMEOUT);
            pool.shutdown();
            pool.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            leases.stop();
            if (!poller.aborted()) {
                heartbeater.sendAndWait(WorkerStatus.LEAVING, STOP_TIMEOUT);
            }
            log.info("worker {}: stopped gracefully, said goodbye", config.workerId());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | KafkaException e) {
            log.warn("worker {}: could not send the LEAVING heartbeat: {}", config.workerId(), e.toString());
        } finally {
            leases.stop();
            publisher.close(STOP_TIMEOUT);
            metrics.close();
            closeCodecs();
            lifecycle.tryTransition(State.TERMINATED);
        }
    }

    /** Stops threads and clients without waiting for work; safe to call on a partly started runtime. */
    private void stopNow() {
        if (heartbeater != null) {
            heartbeater.stopNow();
        }
        if (pool != null) {
            pool.shutdownNow();
        }
        if (leases != null) {
            leases.stop();
        }
        metrics.close();
        if (publisher != null) {
            publisher.close(Duration.ZERO);
        }
        if (pollThread == null) {
            closeCodecs();
        }
    }

    private void closeCodecs() {
        if (codecs != null) {
            codecs.close();
        }
    }

    private WorkerHeartbeat.Builder snapshot() {
        WorkerStatus status = lifecycle.state() == State.DRAINING ? WorkerStatus.DRAINING : WorkerStatus.READY;
        return WorkerHeartbeat.newBuilder()
                .setWorkerId(config.workerId())
                .setIncarnation(incarnation)
                .setStatus(status)
                .setLabels(new HashMap<>(config.labels()))
                .setCapacity(config.capacity())
                .setInFlight(inFlight.get())
                .setQueued(queued())
                .setUnread(unread())
                .setMaxQueued(config.maxQueued())
                .setWeight(config.weight())
                .setHeartbeatIntervalMs((int) config.heartbeatInterval().toMillis())
                .setSdkVersion(SdkVersion.VERSION);
    }
}
