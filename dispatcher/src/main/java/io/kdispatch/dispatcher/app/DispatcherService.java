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
import java.time.Duration;
import org.apache.kafka.streams.KafkaStreams;

/**
 * A dispatcher with its observability: Micrometer's Prometheus registry fed by the dispatcher's own
 * meters, Micrometer's Kafka Streams and JVM binders, and the admin HTTP endpoint serving them.
 */
public final class DispatcherService implements AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Dispatcher dispatcher;
    private final KafkaStreamsMetrics streamsMetrics;
    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();
    private final AdminServer admin;

    /**
     * @param adminHost address for the admin endpoint (127.0.0.1 by default)
     * @param adminPort its port; 0 picks a free one
     */
    public DispatcherService(DispatcherConfig config, String adminHost, int adminPort) throws IOException {
        dispatcher = new Dispatcher(config, new MicrometerDispatchMetrics(registry));
        streamsMetrics = new KafkaStreamsMetrics(dispatcher.streams());
        streamsMetrics.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        admin = new AdminServer(adminHost, adminPort, registry::scrape, () -> {
            KafkaStreams.State state = dispatcher.state();
            return new AdminServer.Health(state.isRunningOrRebalancing(), state.name());
        });
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

    /** Where {@code /metrics} and {@code /health} are served. */
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
}
