package io.kdispatch.sdk;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.startup.StartupWait;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.sdk.internal.Incarnations;
import io.kdispatch.sdk.internal.Lifecycle;
import io.kdispatch.sdk.internal.MicrometerWorkerMetrics;
import io.kdispatch.sdk.internal.WorkerConfig;
import io.kdispatch.sdk.internal.WorkerMetrics;
import io.kdispatch.sdk.internal.WorkerRuntime;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A kdispatch worker: consumes its own topic {@code <prefix>.worker.<workerId>}, runs each
 * assignment with the {@link TaskHandler} on at most {@code capacity} threads, publishes one
 * result per assignment, and heartbeats so the dispatcher knows it is alive and how loaded it is.
 *
 * <p>Lifecycle in the manner of an {@code ExecutorService} (see {@link State}): {@link #start()},
 * then {@link #shutdown()} and {@link #awaitTermination(Duration)}, or just {@link #close()}.
 * A worker starts once; to restart, build a new one with the same ID.
 *
 * <p>Guarantees: every assignment read is answered by exactly one result (SUCCEEDED, FAILED or
 * REJECTED) unless the worker is aborted or the assignment is stale; offsets are committed only
 * after the result was acknowledged, so an assignment is executed at least once across crashes.
 * While a handler runs, its lease is extended with LEASE_EXTENSION records (see
 * {@link TaskContext#extendLease()}); they are signs of life, not results.
 *
 * <p>Assignments the dispatcher has already moved elsewhere are skipped, not run and not answered,
 * and committed: those whose lease ran out before they could start, and those sent to another
 * incarnation of this worker ({@link #skipped()} counts them). The lease is the assignment's
 * {@code leaseMs}, counted on this worker's monotonic clock ({@link System#nanoTime()}) from the
 * moment it received the assignment, so clock skew between this machine and the dispatcher's
 * changes nothing; only an assignment from a dispatcher that sends no {@code leaseMs} is judged
 * against its absolute {@code leaseDeadline} with this worker's {@link Builder#clock clock}.
 *
 * <p>When the worker already holds {@code capacity + maxQueued} assignments, further ones are
 * answered REJECTED at once so the dispatcher routes them elsewhere.
 *
 * <p>Thread-safe: all methods may be called from any thread.
 */
public final class Worker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Worker.class);

    /**
     * The lifecycle of a worker. Legal transitions: NEW → STARTING → RUNNING → DRAINING → TERMINATED;
     * NEW → TERMINATED (shut down before start); STARTING → TERMINATED (start failed);
     * RUNNING → TERMINATED (aborted or crashed).
     */
    public enum State {
        /** Built, not started. */
        NEW,
        /** {@link #start()} is connecting and creating its topic. */
        STARTING,
        /** Taking and running tasks. */
        RUNNING,
        /** Shutting down: no new tasks, in-flight ones finish and publish their results. */
        DRAINING,
        /** Stopped; every thread and client is released (or being released by the last thread). */
        TERMINATED;

        /** True when a worker may move from this state to {@code next}. */
        public boolean canTransitionTo(State next) {
            return switch (this) {
                case NEW -> next == STARTING || next == TERMINATED;
                case STARTING -> next == RUNNING || next == TERMINATED;
                case RUNNING -> next == DRAINING || next == TERMINATED;
                case DRAINING -> next == TERMINATED;
                case TERMINATED -> false;
            };
        }
    }

    /** How long abort() waits for a start() it interrupted to unwind and release its threads. */
    private static final Duration ABORT_TIMEOUT = Duration.ofSeconds(10);

    private final WorkerConfig config;
    private final Lifecycle lifecycle;
    private volatile WorkerRuntime runtime;
    private volatile long incarnation;
    private volatile StartupWait startWait;
    /** A shutdown (or abort) was asked for while starting; guarded by this. */
    private boolean stopRequested;
    private boolean abortRequested;

    private Worker(WorkerConfig config) {
        this.config = config;
        this.lifecycle = new Lifecycle(config.workerId());
    }

    /** A builder; see its methods for each setting and its default. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects, creates the worker topic if needed, sends a first heartbeat and starts consuming.
     * Returns once the worker is {@link State#RUNNING}. While the cluster does not answer, the shared
     * topics do not exist or the registry does not answer, it waits up to the builder's
     * {@code startWaitTimeout} (see there). {@link #shutdown()}, {@link #close()} or {@link #abort()}
     * from another thread end that wait at once: start() then throws, or, when it got through just
     * before, the worker drains (or aborts) right after starting.
     *
     * @throws IllegalStateException when the worker is not {@link State#NEW}
     * @throws WorkerStartException when the cluster, the topics or the registry are not usable (within
     *     the wait), or the wait was ended by a shutdown; the worker is then {@link State#TERMINATED}
     */
    public void start() {
        WorkerRuntime starting = beginStart();
        try {
            starting.start(startWait);
        } catch (RuntimeException e) {
            lifecycle.tryTransition(State.TERMINATED);
            throw e;
        }
        if (finishStart()) {
            starting.abort();
        }
    }

    /** NEW → STARTING; not held while waiting, so that shutdown() can end the wait. */
    private synchronized WorkerRuntime beginStart() {
        if (lifecycle.state() != State.NEW) {
            throw new IllegalStateException("worker " + config.workerId() + ": start() needs a NEW worker, but it is "
                    + lifecycle.state() + "; a worker starts once: build a new one with the same ID to restart");
        }
        lifecycle.transition(State.NEW, State.STARTING);
        incarnation = Incarnations.next();
        startWait = new StartupWait("worker " + config.workerId(), config.startWaitTimeout());
        runtime = new WorkerRuntime(config, lifecycle, incarnation);
        return runtime;
    }

    /**
     * STARTING → RUNNING, then honours a shutdown asked for while starting.
     *
     * @return true when an abort was asked for meanwhile (run outside the lock: it waits for threads)
     */
    private synchronized boolean finishStart() {
        lifecycle.transition(State.STARTING, State.RUNNING);
        log.info("worker {}: running (incarnation {}, capacity {}, topic {})", config.workerId(), incarnation,
                config.capacity(), config.topics().workerTopic(config.workerId()));
        if (!abortRequested && stopRequested && lifecycle.tryTransition(State.DRAINING)) {
            runtime.drain();
        }
        return abortRequested;
    }

    /**
     * Begins a graceful shutdown and returns at once: announces DRAINING, takes no new tasks
     * (assignments read but not started are answered REJECTED), lets running tasks finish and
     * publish their results, commits, and says goodbye with a LEAVING heartbeat. A worker never
     * started terminates at once; a starting one stops waiting (see {@link #start()}). No effect when
     * already draining or terminated.
     */
    public synchronized void shutdown() {
        if (lifecycle.state() == State.NEW) {
            lifecycle.transition(State.NEW, State.TERMINATED);
        } else if (lifecycle.state() == State.STARTING) {
            stopRequested = true;
            startWait.cancel();
        } else if (lifecycle.tryTransition(State.DRAINING)) {
            runtime.drain();
        }
    }

    /**
     * Waits until the worker is {@link State#TERMINATED} and its threads have ended.
     *
     * @return true when that happened within {@code timeout}
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (!lifecycle.awaitTerminated(timeout)) {
            return false;
        }
        WorkerRuntime current = runtime;
        return current == null || current.awaitThreads(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    }

    /** True once the worker is {@link State#TERMINATED}. */
    public boolean isTerminated() {
        return lifecycle.state() == State.TERMINATED;
    }

    /** The current state. */
    public State state() {
        return lifecycle.state();
    }

    /**
     * {@link #shutdown()}, then waits up to the builder's {@code shutdownTimeout}; when tasks are
     * still running after that, {@link #abort()}s them. Idempotent; leaves no thread behind.
     */
    @Override
    public void close() {
        shutdown();
        try {
            if (awaitTermination(config.shutdownTimeout())) {
                return;
            }
            log.warn("worker {}: tasks still running after {}; aborting them", config.workerId(),
                    config.shutdownTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        abort();
    }

    /**
     * Stops at once as if the process had crashed, for fault tests: no goodbye heartbeat, no result
     * for tasks in flight (their handlers are interrupted), no commit of unfinished work, so a new
     * worker with the same ID runs them again. Still releases every thread and client before
     * returning (waiting a few seconds at most for handlers that ignore interruption).
     */
    public void abort() {
        WorkerRuntime current;
        boolean starting;
        synchronized (this) {
            if (lifecycle.state() == State.NEW) {
                lifecycle.transition(State.NEW, State.TERMINATED);
                return;
            }
            current = runtime;
            starting = lifecycle.state() == State.STARTING;
            if (starting) {
                // start() owns the runtime until it returns: end its wait and let it unwind.
                abortRequested = true;
                startWait.cancel();
            }
        }
        if (starting) {
            awaitStartUnwound(current);
        } else if (current != null) {
            current.abort();
        }
    }

    private void awaitStartUnwound(WorkerRuntime current) {
        try {
            if (lifecycle.awaitTerminated(ABORT_TIMEOUT)) {
                current.awaitThreads(ABORT_TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What {@link #start()} is waiting for right now (e.g. {@code the shared topics [...]}), or empty
     * when it is not waiting.
     */
    public Optional<String> waitingFor() {
        StartupWait wait = startWait;
        return wait == null || lifecycle.state() != State.STARTING ? Optional.empty() : wait.waitingFor();
    }

    /** This worker's ID. */
    public String workerId() {
        return config.workerId();
    }

    /**
     * A random number chosen at each {@link #start()} (0 before), so restarts can be told apart:
     * between 1 and 2^53 - 2, so JSON and JavaScript clients of the heartbeat and results topics
     * read it exactly.
     */
    public long incarnation() {
        return incarnation;
    }

    /** Tasks running or publishing their result right now. */
    public int inFlight() {
        WorkerRuntime current = runtime;
        return current == null ? 0 : current.inFlight();
    }

    /** Assignments fetched and waiting for a free slot right now. */
    public int queued() {
        WorkerRuntime current = runtime;
        return current == null ? 0 : current.queued();
    }

    /**
     * Assignments not run since {@link #start()} because the dispatcher had already moved them
     * elsewhere (lease expired before they could start, or sent to another incarnation).
     */
    public long skipped() {
        WorkerRuntime current = runtime;
        return current == null ? 0 : current.skipped();
    }

    @Override
    public String toString() {
        return "Worker[" + config.workerId() + ", " + lifecycle.state() + ", incarnation " + incarnation + "]";
    }

    /**
     * Collects and validates a worker's settings. Required: {@link #workerId}, {@link #bootstrapServers},
     * {@link #serdeConfig} and {@link #handler}. {@link #build()} checks every rule and says what to fix.
     * Not thread-safe; build on one thread.
     */
    public static final class Builder {
        private String workerId;
        private String bootstrapServers;
        private SerdeConfig serdeConfig;
        private Topics topics = Topics.defaults();
        private final Map<String, String> labels = new LinkedHashMap<>();
        private int capacity = 4;
        private Integer maxQueued;
        private Duration maxTaskDuration = Duration.ofMinutes(30);
        private double weight = 1.0;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private Duration shutdownTimeout = Duration.ofSeconds(30);
        private Duration startTimeout = StartupWait.DEFAULT_ATTEMPT_TIMEOUT;
        private Duration startWaitTimeout = StartupWait.DEFAULT_LIMIT;
        private int workerTopicPartitions = 1;
        private TaskHandler handler;
        private WorkerListener listener = new WorkerListener() { };
        private final Map<String, Object> kafkaProperties = new HashMap<>();
        private Clock clock = Clock.systemUTC();
        private WorkerMetrics.Factory metrics = WorkerMetrics.Factory.NONE;
        private OpenTelemetry openTelemetry;

        private Builder() {
        }

        /** Required. Must match {@code [a-zA-Z0-9._-]{1,200}} (it becomes part of a topic name). */
        public Builder workerId(String workerId) {
            this.workerId = workerId;
            return this;
        }

        /** Required. The Kafka cluster, as {@code host:port[,host:port...]}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** Required. The schema registry settings shared with the dispatcher. */
        public Builder serdeConfig(SerdeConfig serdeConfig) {
            this.serdeConfig = serdeConfig;
            return this;
        }

        /** Topic names; default {@link Topics#defaults()} (prefix {@code dispatch}). */
        public Builder topics(Topics topics) {
            this.topics = topics;
            return this;
        }

        /** Labels the dispatcher matches against tasks' requirements (replacing any set before); default none. */
        public Builder labels(Map<String, String> labels) {
            this.labels.clear();
            if (labels != null) {
                this.labels.putAll(labels);
            }
            return this;
        }

        /** Adds one label; see {@link #labels(Map)}. */
        public Builder label(String key, String value) {
            this.labels.put(key, value);
            return this;
        }

        /** Tasks run at once (one thread each), 1 to 10,000; default 4. */
        public Builder capacity(int capacity) {
            this.capacity = capacity;
            return this;
        }

        /**
         * Assignments the worker holds beyond its capacity (fetched, waiting for a slot); 0 to
         * 100,000; default 1,000. The worker declares it in its heartbeats and the dispatcher's credit
         * never sends more than this beyond the capacity: it sends about capacity x (round trip /
         * service time), so short tasks wait here next to the slots instead of a commit round trip
         * away, while long tasks leave it unused. The worker fetches only while a whole batch fits;
         * an assignment beyond it (the dispatcher's documented overshoot) is answered REJECTED
         * ("worker &lt;id&gt; saturated: N queued") and routed elsewhere. Lower it when payloads are
         * large: waiting assignments are held in memory.
         */
        public Builder maxQueued(int maxQueued) {
            this.maxQueued = maxQueued;
            return this;
        }

        /**
         * How long a task may run while the SDK still renews its lease automatically (default 30 min),
         * measured on {@link System#nanoTime()}. A handler stuck for longer is presumed hung: its lease
         * runs out and the dispatcher sends the task to another worker. {@link TaskContext#extendLease()}
         * renews explicitly past this limit.
         */
        public Builder maxTaskDuration(Duration maxTaskDuration) {
            this.maxTaskDuration = maxTaskDuration;
            return this;
        }

        /** Relative share of work for weighted routing, positive; default 1.0. */
        public Builder weight(double weight) {
            this.weight = weight;
            return this;
        }

        /** How often to heartbeat; default 1 s. The dispatcher suspects a worker silent for a few intervals. */
        public Builder heartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = heartbeatInterval;
            return this;
        }

        /** How long {@link Worker#close()} lets in-flight tasks finish before aborting them; default 30 s. */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = shutdownTimeout;
            return this;
        }

        /**
         * How long one try of a start step may take (reaching the cluster, a topic request, the first
         * heartbeat); default 15 s. With {@link #startWaitTimeout} zero, {@link Worker#start()} fails after it.
         */
        public Builder startTimeout(Duration startTimeout) {
            this.startTimeout = startTimeout;
            return this;
        }

        /**
         * How long {@link Worker#start()} keeps waiting, in total, while the cluster does not answer, the
         * shared topics do not exist yet (the dispatcher creates them) or the schema registry does not
         * answer; default 5 min. It retries with backoff (100 ms doubling to 5 s), logs once what it waits
         * for and then a reminder every 30 s at most. {@link Duration#ZERO} fails at once with the reason.
         * {@link Worker#shutdown()}, {@link Worker#close()} and {@link Worker#abort()} end the wait.
         */
        public Builder startWaitTimeout(Duration startWaitTimeout) {
            this.startWaitTimeout = startWaitTimeout;
            return this;
        }

        /** Partitions of the worker topic when the worker creates it, 1 to 1,000; default 1. */
        public Builder workerTopicPartitions(int workerTopicPartitions) {
            this.workerTopicPartitions = workerTopicPartitions;
            return this;
        }

        /** Required. The code that runs a task. */
        public Builder handler(TaskHandler handler) {
            this.handler = handler;
            return this;
        }

        /** Optional observer of executions; default none. */
        public Builder listener(WorkerListener listener) {
            this.listener = listener == null ? new WorkerListener() { } : listener;
            return this;
        }

        /**
         * Kafka client settings applied to the worker's clients (e.g. {@code security.protocol},
         * {@code sasl.jaas.config}, timeouts); default none. Settings the guarantees rest on
         * ({@code enable.auto.commit}, {@code isolation.level}, {@code acks}, {@code group.id}, ...)
         * are refused by {@link #build()}. {@code max.poll.records} defaults to the capacity.
         */
        public Builder kafkaProperties(Map<String, Object> kafkaProperties) {
            this.kafkaProperties.clear();
            if (kafkaProperties != null) {
                this.kafkaProperties.putAll(kafkaProperties);
            }
            return this;
        }

        /**
         * Publishes the worker's metrics to a Micrometer registry; default none. Micrometer is an
         * optional dependency: add {@code io.micrometer:micrometer-core} to use this. Meters, each
         * tagged {@code worker=<workerId>}:
         * <ul>
         *   <li>{@code kdispatch.worker.executions} (counter, tag {@code status} = SUCCEEDED, FAILED
         *       or REJECTED): final results acknowledged by the broker;</li>
         *   <li>{@code kdispatch.worker.execution.duration} (timer): time handlers ran;</li>
         *   <li>{@code kdispatch.worker.in.flight} (gauge): tasks running or publishing their result;</li>
         *   <li>{@code kdispatch.worker.queued} (gauge): assignments fetched and waiting for a slot;</li>
         *   <li>{@code kdispatch.worker.lease.extensions} (counter): lease extensions acknowledged;</li>
         *   <li>{@code kdispatch.worker.skipped} (counter, tag {@code reason} = {@code lease-expired}
         *       or {@code other-incarnation}): assignments not run because the dispatcher had
         *       already moved them.</li>
         * </ul>
         * The gauges are removed when the worker terminates; the counters and the timer stay.
         *
         * @param registry the registry, or {@code null} for none
         */
        public Builder meterRegistry(io.micrometer.core.instrument.MeterRegistry registry) {
            this.metrics = registry == null ? WorkerMetrics.Factory.NONE : MicrometerWorkerMetrics.factory(registry);
            return this;
        }

        /**
         * Traces each attempt with this OpenTelemetry; default {@link GlobalOpenTelemetry#getOrNoop()} as it is
         * when {@link #build()} runs (the Java agent's or an SDK the application registered before; else no-op).
         * The handler runs inside an {@code execute} span (kind CONSUMER, current on the handler's thread, so
         * {@code Span.current()} and the handler's own spans join it), child of the W3C trace context
         * ({@code traceparent}, {@code tracestate}) in the task's {@code headers}; attributes
         * {@code kdispatch.task.id}, {@code kdispatch.task.type}, {@code kdispatch.worker.id},
         * {@code kdispatch.attempt} and {@code kdispatch.outcome}. The result's {@code headers} carry that
         * span's context. With no SDK nothing is recorded and the headers pass through unchanged.
         *
         * @param openTelemetry the instance, or {@code null} for the default
         */
        public Builder openTelemetry(OpenTelemetry openTelemetry) {
            this.openTelemetry = openTelemetry;
            return this;
        }

        /**
         * Clock for timestamps (heartbeats' {@code sentAt}, results' {@code startedAt} and
         * {@code completedAt}) and for absolute instants from elsewhere: task deadlines, and the
         * {@code leaseDeadline} of a dispatcher that sends no {@code leaseMs}; default the system
         * clock in UTC. Leases and durations are measured on {@link System#nanoTime()} instead, so
         * an offset of this clock from the dispatcher's does not change which tasks run.
         */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * A new worker in state {@link State#NEW}.
         *
         * @throws IllegalArgumentException naming the setting that is missing or invalid
         */
        public Worker build() {
            // getOrNoop(), not get(): get() would register the no-op instance as the global for good, and an
            // application that registers its SDK after building a worker would then fail in GlobalOpenTelemetry.set.
            return new Worker(new WorkerConfig(workerId, bootstrapServers, serdeConfig, topics, labels, capacity,
                    maxQueued == null ? WorkerConfig.DEFAULT_MAX_QUEUED : maxQueued, weight, heartbeatInterval, shutdownTimeout,
                    startTimeout, startWaitTimeout, workerTopicPartitions, handler, listener, kafkaProperties, clock, metrics,
                    maxTaskDuration, openTelemetry == null ? GlobalOpenTelemetry.getOrNoop() : openTelemetry));
        }
    }
}
