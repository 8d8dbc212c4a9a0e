package io.kdispatch.dispatcher.app;

import io.kdispatch.dispatcher.admin.AdminServer;
import io.kdispatch.dispatcher.admin.ControlEndpoints;
import io.kdispatch.dispatcher.capacity.CapacityMonitor;
import io.kdispatch.dispatcher.capacity.CapacitySettings;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.lag.LagMonitor;
import io.kdispatch.dispatcher.lag.LagReader;
import io.kdispatch.dispatcher.lag.LagSettings;
import io.kdispatch.dispatcher.metrics.CapacityGauges;
import io.kdispatch.dispatcher.metrics.LagGauges;
import io.kdispatch.dispatcher.metrics.MicrometerDispatchMetrics;
import io.kdispatch.dispatcher.recording.TraceRecorder;
import io.kdispatch.schemas.startup.StartupWait;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A dispatcher with its observability: Micrometer's Prometheus registry fed by the dispatcher's own
 * meters, Micrometer's Kafka Streams and JVM binders, and the admin HTTP endpoint serving them and
 * answering {@code /tasks/{id}} (forwarded between instances through Kafka Streams' application.server),
 * {@code /config} and {@code /workers}.
 */
public final class DispatcherService implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AdminServer admin;
    private final Dispatcher dispatcher;
    private final KafkaStreamsMetrics streamsMetrics;
    private final LagMonitor lagMonitor;
    private final CapacityMonitor capacityMonitor;
    private volatile TaskQueries queries;
    private final ControlQueries controlQueries;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param adminHost address for the admin endpoint (127.0.0.1 by default; 0.0.0.0 in a container)
     * @param adminPort its port; 0 picks a free one
     */
    public DispatcherService(DispatcherConfig config, String adminHost, int adminPort) throws IOException {
        this(config, adminHost, adminPort, LagSettings.defaults());
    }

    /** @param lag how often consumer lag is measured for the {@code kdispatch_*_lag_*} gauges */
    public DispatcherService(DispatcherConfig config, String adminHost, int adminPort, LagSettings lag)
            throws IOException {
        this(config, adminHost, adminPort, lag, CapacitySettings.off());
    }

    /**
     * @param capacity what the {@code kdispatch_workers_needed} gauge answers ({@link CapacitySettings#off()}:
     *     no gauge, no estimate)
     */
    public DispatcherService(DispatcherConfig config, String adminHost, int adminPort, LagSettings lag,
                             CapacitySettings capacity) throws IOException {
        admin = new AdminServer(adminHost, adminPort, registry::scrape, this::health, this::lookup);
        HostInfo self = new HostInfo(advertised(adminHost), admin.port());
        dispatcher = new Dispatcher(config, new MicrometerDispatchMetrics(registry), self.host() + ":" + self.port());
        queries = new TaskQueries(dispatcher.streams(), self);
        controlQueries = new ControlQueries(dispatcher.streams(), config);
        ControlEndpoints.register(admin, controlQueries);
        streamsMetrics = new KafkaStreamsMetrics(dispatcher.streams());
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        lagMonitor = new LagMonitor(lag, new LagReader(config.bootstrapServers(), config.topics(),
                config.applicationId(), lag, config.clientOverrides(), Clock.systemUTC()),
                new LagGauges(registry)::update);
        capacityMonitor = capacity.enabled() ? new CapacityMonitor(capacity, (from, to) -> new TraceRecorder(
                config.bootstrapServers(), config.serdes(), config.topics(), config.clientOverrides()).record(from, to),
                new CapacityGauges(registry)::update, Clock.systemUTC()) : null;
    }

    /** Creates topics and starts processing, waiting for the cluster and the registry (see {@link Dispatcher#start()}). */
    public void start() {
        start(new StartupWait("dispatcher " + dispatcher.config().applicationId(), StartupWait.DEFAULT_LIMIT));
    }

    /**
     * Like {@link Dispatcher#start(StartupWait)}; lag measurement starts once the dispatcher has.
     *
     * @throws io.kdispatch.schemas.startup.StartupException when a step fails for good, the wait limit is
     *     reached or the wait stopped
     */
    public void start(StartupWait wait) {
        dispatcher.start(wait);
        lagMonitor.start();
        if (capacityMonitor != null) {
            capacityMonitor.start();
        }
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return dispatcher.awaitRunning(timeout);
    }

    /**
     * Accepts {@code PUT/POST /config} from callers presenting {@code Authorization: Bearer <token>}; until
     * called, every write through the admin endpoint is refused with 403. Opens a producer on the control
     * topic; call once, before or after {@link #start()}.
     */
    public void enableConfigWrites(String token) {
        controlQueries.enableWrites(token);
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** The latest consumer-lag measurement (worker topics and intake). */
    public LagMonitor lag() {
        return lagMonitor;
    }

    /** The registry behind {@code /metrics} (the demo reads worker states and lag from it). */
    public MeterRegistry meters() {
        return registry;
    }

    /** Where {@code /metrics}, {@code /health} and {@code /tasks/{id}} are served. */
    public String adminUrl() {
        return admin.url();
    }

    /** Like {@link #stop(Duration)} with {@link Dispatcher#DEFAULT_CLOSE_TIMEOUT}. */
    @Override
    public void close() {
        stop(Dispatcher.DEFAULT_CLOSE_TIMEOUT);
    }

    /**
     * Stops the admin endpoint, the control producer and lag measurement (each within a few seconds),
     * then the dispatcher, giving Kafka Streams up to {@code streamsTimeout}. Idempotent.
     *
     * @return true when everything stopped cleanly; false when Kafka Streams did not close in time
     */
    public boolean stop(Duration streamsTimeout) {
        if (!closed.compareAndSet(false, true)) {
            return true;
        }
        admin.close();
        controlQueries.close();
        lagMonitor.close();
        if (capacityMonitor != null) {
            capacityMonitor.close();
        }
        boolean clean = dispatcher.stop(streamsTimeout);
        streamsMetrics.close();
        gcMetrics.close();
        registry.close();
        return clean;
    }

    private AdminServer.Health health() {
        Dispatcher d = dispatcher;
        if (d == null) {
            return new AdminServer.Health(false, "STARTING");
        }
        KafkaStreams.State state = d.state();
        return new AdminServer.Health(state.isRunningOrRebalancing(), state.name());
    }

    private AdminServer.Reply lookup(String taskId, boolean localOnly) {
        TaskQueries q = queries;
        return q == null ? new AdminServer.Reply(503, "{\"error\":\"starting\"}") : q.lookup(taskId, localOnly);
    }

    /** The host other instances should use: the bind address, unless it is the wildcard. */
    private static String advertised(String bindHost) throws IOException {
        return "0.0.0.0".equals(bindHost) || "::".equals(bindHost)
                ? InetAddress.getLocalHost().getHostName() : bindHost;
    }
}
