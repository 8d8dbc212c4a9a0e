package io.kdispatch.dispatcher.app;

import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.topology.DispatcherTopology;
import io.kdispatch.dispatcher.topology.TopologySettings;
import io.kdispatch.schemas.serde.RegistryWait;
import io.kdispatch.schemas.startup.ClusterWaits;
import io.kdispatch.schemas.startup.StartupException;
import io.kdispatch.schemas.startup.StartupWait;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One dispatcher instance: provisions topics, then runs the Kafka Streams topology until closed.
 * Instances with the same application ID share the intake partitions.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} any number of times; close releases every
 * thread and client the instance started. It may start before the cluster, its topics or the registry
 * are there: it waits for them (see {@link #start(StartupWait)}).
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DispatcherConfig config;
    private final KafkaStreams streams;
    /** How long {@link #close()} gives Kafka Streams. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final CountDownLatch running = new CountDownLatch(1);
    /** Guarded by this; so is {@link #startWait}. */
    private boolean closed;
    private StartupWait startWait;

    public Dispatcher(DispatcherConfig config, DispatchMetrics metrics) {
        this(config, metrics, null);
    }

    /**
     * @param applicationServer {@code host:port} of this instance's admin endpoint, advertised to the
     *     other instances so that interactive queries can be forwarded; null when there is none
     */
    public Dispatcher(DispatcherConfig config, DispatchMetrics metrics, String applicationServer) {
        // getOrNoop(), not get(): get() would register the no-op instance as the global for good, and an
        // application that registers its SDK after creating a dispatcher would then fail in GlobalOpenTelemetry.set.
        this(config, metrics, applicationServer, GlobalOpenTelemetry.getOrNoop());
    }

    /**
     * @param applicationServer as above; null when there is none
     * @param openTelemetry traces every routing decision that sends or parks a task as a {@code route} span
     *     (see the README's Traces section); the other constructors use {@link GlobalOpenTelemetry#getOrNoop()}
     *     (the Java agent's or a registered SDK, else no-op: nothing recorded, task headers untouched)
     */
    public Dispatcher(DispatcherConfig config, DispatchMetrics metrics, String applicationServer,
                      OpenTelemetry openTelemetry) {
        this.config = config;
        TopologySettings settings = config.topologySettings();
        Properties props = streamsProperties(settings, metrics);
        if (applicationServer != null) {
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        this.streams = new KafkaStreams(DispatcherTopology.build(settings, metrics, openTelemetry), props);
        streams.setStateListener((next, previous) -> {
            log.info("Dispatcher {} is {} (was {})", config.applicationId(), next, previous);
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            log.error("Stream thread failed; replacing it", e);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    }

    /**
     * Creates missing topics, then starts processing, waiting up to {@link StartupWait#DEFAULT_LIMIT}
     * for the cluster and the registry (see {@link #start(StartupWait)}); {@link #close()} ends the wait.
     */
    public void start() {
        start(new StartupWait("dispatcher " + config.applicationId(), StartupWait.DEFAULT_LIMIT));
    }

    /**
     * Waits until the cluster answers, creates the missing topics (retrying while the cluster cannot
     * yet, e.g. too few brokers are up for the replication factor), waits until the registry answers,
     * then starts processing. Returns without waiting for RUNNING. {@link StartupWait#cancel()} or
     * {@link #close()} from another thread end the wait.
     *
     * @throws StartupException when a step fails for good, the wait limit is reached or the wait stopped
     * @throws IllegalStateException when called twice or after close
     */
    public void start(StartupWait wait) {
        synchronized (this) {
            if (closed || startWait != null) {
                throw new IllegalStateException("dispatcher " + config.applicationId() + " was already started or closed");
            }
            startWait = wait;
        }
        Map<String, Object> adminProps = new HashMap<>(config.clientOverrides());
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        try (Admin admin = Admin.create(adminProps)) {
            wait.onCancel(() -> admin.close(Duration.ZERO));
            ClusterWaits.cluster(wait, admin, config.bootstrapServers(), StartupWait.DEFAULT_ATTEMPT_TIMEOUT,
                    "(check bootstrap.servers and that the brokers run)");
            wait.until("the dispatcher's topics", StartupWait.DEFAULT_ATTEMPT_TIMEOUT, timeout -> provision(admin, wait));
            GlobalTopicsWait.await(wait, admin, config.clientOverrides(),
                    List.of(config.topics().heartbeats(), config.topics().control()));
        }
        RegistryWait.await(config.serdes(), wait);
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("dispatcher " + config.applicationId() + " was closed while starting");
            }
            streams.start();
        }
    }

    private StartupWait.Outcome<Void> provision(Admin admin, StartupWait wait) {
        try {
            new TopicProvisioner(admin).ensure(config.topics(), config.topicLayout());
            return StartupWait.Outcome.ready(null);
        } catch (IllegalStateException e) {
            if (ClusterWaits.isTransient(e)) {
                return StartupWait.Outcome.notReady(e.getMessage(), null);
            }
            throw wait.fatal(e.getMessage(), null);
        }
    }

    /** Waits until the instance is RUNNING (has its partitions and restored its state). */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The Kafka Streams state, for health checks. */
    public KafkaStreams.State state() {
        return streams.state();
    }

    /** The configuration this instance runs with. */
    public DispatcherConfig config() {
        return config;
    }

    /** The underlying Kafka Streams instance, for interactive queries and metrics binding. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Like {@link #stop(Duration)} with 30 s. */
    @Override
    public void close() {
        stop(DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * Ends a start-up wait, or closes Kafka Streams, waiting up to {@code timeout} whatever state it is
     * in (running, rebalancing, replacing a failed thread). Idempotent: later calls return true at once.
     *
     * @return true when everything stopped within the timeout; false when Kafka Streams did not (its
     *     threads may still be running)
     */
    public boolean stop(Duration timeout) {
        StartupWait wait;
        synchronized (this) {
            if (closed) {
                return true;
            }
            closed = true;
            wait = startWait;
        }
        if (wait != null) {
            wait.cancel();
        }
        if (streams.close(timeout)) {
            return true;
        }
        log.warn("Dispatcher {} did not close within {} (state {})", config.applicationId(),
                StartupWait.format(timeout), streams.state());
        return false;
    }

    /**
     * Failover in seconds rather than most of a minute (README, operations). A killed instance stays in
     * the group until its session times out: 6 s (the broker's default minimum) instead of 45 s. Its open
     * transaction hides every later record on the partitions it wrote from read_committed readers (the
     * workers, and the survivor restoring the moved stores) until the broker aborts it: 5 s instead of
     * Streams' 10 s, still a hundred commit intervals. A standby replica of each stream task on another
     * instance (when there is one) keeps the stores warm, so a takeover need not replay the changelogs.
     * Each can be overridden with its {@code streams.} setting.
     */
    private static void failoverDefaults(Properties props) {
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), 6_000);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), 1_500);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 5_000);
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
    }

    private Properties streamsProperties(TopologySettings settings, DispatchMetrics metrics) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
                config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        // Low-latency defaults: a task should reach its worker in tens of milliseconds, not at the
        // default 100 ms commit interval of exactly-once plus producer batching.
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 50);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
        failoverDefaults(props);
        props.putAll(DispatcherTopology.requiredProperties(settings, metrics));
        props.putAll(config.streamsOverrides());
        return props;
    }
}
