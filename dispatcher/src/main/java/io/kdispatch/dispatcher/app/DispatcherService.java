package io.kdispatch.dispatcher.app;

import io.kdispatch.dispatcher.admin.AdminServer;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.metrics.MicrometerDispatchMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;

/**
 * A dispatcher with its observability: Micrometer's Prometheus registry fed by the dispatcher's own
 * meters, Micrometer's Kafka Streams and JVM binders, and the admin HTTP endpoint serving them and
 * answering {@code /tasks/{id}} (forwarded between instances through Kafka Streams' application.server).
 */
public final class DispatcherService implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AdminServer admin;
    private final Dispatcher dispatcher;
    private final KafkaStreamsMetrics streamsMetrics;
    private volatile TaskQueries queries;

    /**
     * @param adminHost address for the admin endpoint (127.0.0.1 by default; 0.0.0.0 in a container)
     * @param adminPort its port; 0 picks a free one
     */
    public DispatcherService(DispatcherConfig config, String adminHost, int adminPort) throws IOException {
        admin = new AdminServer(adminHost, adminPort, registry::scrape, this::health, this::lookup);
        HostInfo self = new HostInfo(advertised(adminHost), admin.port());
        dispatcher = new Dispatcher(config, new MicrometerDispatchMetrics(registry), self.host() + ":" + self.port());
        queries = new TaskQueries(dispatcher.streams(), self);
        streamsMetrics = new KafkaStreamsMetrics(dispatcher.streams());
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
    }

    /** Creates topics and starts processing. */
    public void start() {
        dispatcher.start();
    }

    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return dispatcher.awaitRunning(timeout);
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** Where {@code /metrics}, {@code /health} and {@code /tasks/{id}} are served. */
    public String adminUrl() {
        return admin.url();
    }

    @Override
    public void close() {
        admin.close();
        dispatcher.close();
        streamsMetrics.close();
        gcMetrics.close();
        registry.close();
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
