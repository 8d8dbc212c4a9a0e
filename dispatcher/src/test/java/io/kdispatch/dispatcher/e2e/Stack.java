package io.kdispatch.dispatcher.e2e;

import io.kdispatch.dispatcher.app.Dispatcher;
import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.capacity.CapacitySettings;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.config.TopicLayout;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.lag.LagSettings;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.Worker;
import io.kdispatch.sdk.testing.ExecutionLog;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.opentelemetry.api.OpenTelemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One isolated dispatcher installation on a shared broker and registry: its own topic prefix,
 * application ID and state directory, plus helpers to start workers and submit tasks. Closing it
 * closes everything it started, newest first.
 */
final class Stack implements AutoCloseable {
    final String bootstrapServers;
    final SerdeConfig serdes;
    final Topics topics = new Topics("e2e-" + UUID.randomUUID().toString().substring(0, 8));
    final ExecutionLog executions = new ExecutionLog();
    final Map<String, Worker> workers = new LinkedHashMap<>();
    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Path stateRoot;
    /** Routing settings for the dispatchers this stack starts. */
    RoutingConfig routing = RoutingConfig.defaults();
    /** Health settings (breakers, retries, poison) for the dispatchers this stack starts. */
    HealthSettings health = HealthSettings.defaults();
    /** Lease of each attempt. */
    Duration lease = DispatcherConfig.DEFAULT_LEASE_DURATION;
    /** Partitions of the intake, results and routing topics. */
    int partitions = TopicLayout.DEFAULT_PARTITIONS;
    /** Replication of the topics the dispatcher creates; -1 takes the broker default. */
    short replication = TopicLayout.BROKER_DEFAULT_REPLICATION;
    /** Traces of the dispatchers, workers and submit clients this stack starts; null: their defaults (no-op). */
    OpenTelemetry openTelemetry;
    /** Tenant rule, quotas and rate limits of the dispatchers this stack starts. */
    QuotaSettings quotas = QuotaSettings.DEFAULTS;
    /** The capacity estimate ({@code kdispatch_workers_needed}) of the services this stack starts. */
    CapacitySettings capacity = CapacitySettings.off();

    Stack(String bootstrapServers, String registryUrl) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = SerdeConfig.of(registryUrl);
        try {
            this.stateRoot = Files.createTempDirectory("kdispatch-e2e");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    DispatcherConfig config() {
        return DispatcherConfig.defaults(bootstrapServers, serdes, stateRoot.resolve("state-" + UUID.randomUUID()))
                .withTopics(topics).withApplicationId(topics.prefix() + "-dispatcher").withRouting(routing)
                .withHealth(health).withTimings(LivenessPolicy.defaults(), lease)
                .withTopicLayout(new TopicLayout(partitions, replication)).withQuotas(quotas);
    }

    Dispatcher dispatcher(DispatchMetrics metrics) throws InterruptedException {
        Dispatcher dispatcher = track(openTelemetry == null ? new Dispatcher(config(), metrics)
                : new Dispatcher(config(), metrics, null, openTelemetry));
        dispatcher.start();
        if (!dispatcher.awaitRunning(Duration.ofSeconds(60))) {
            throw new AssertionError("dispatcher not RUNNING after 60 s: " + dispatcher.state());
        }
        return dispatcher;
    }

    /** A dispatcher instance with its admin endpoint (metrics, health, /tasks/{id}) on a free port. */
    DispatcherService service() throws Exception {
        DispatcherService service = track(new DispatcherService(config(), "127.0.0.1", 0, LagSettings.defaults(),
                capacity));
        service.start();
        if (!service.awaitRunning(Duration.ofSeconds(60))) {
            throw new AssertionError("dispatcher not RUNNING after 60 s: " + service.dispatcher().state());
        }
        return service;
    }

    Worker worker(String id, int capacity, TaskHandler handler) {
        return worker(id, capacity, Map.of(), handler);
    }

    Worker worker(String id, int capacity, Map<String, String> labels, TaskHandler handler) {
        return worker(id, capacity, labels, handler, b -> b);
    }

    Worker worker(String id, int capacity, Map<String, String> labels, TaskHandler handler,
                  java.util.function.UnaryOperator<Worker.Builder> customize) {
        Worker worker = unstartedWorker(id, capacity, labels, handler, customize);
        worker.start();
        return worker;
    }

    /** A worker of this stack, closed with it, for the test to start (e.g. on another thread). */
    Worker unstartedWorker(String id, int capacity, Map<String, String> labels, TaskHandler handler,
                           java.util.function.UnaryOperator<Worker.Builder> customize) {
        Worker worker = customize.apply(Worker.builder().workerId(id).bootstrapServers(bootstrapServers)
                .serdeConfig(serdes).topics(topics).capacity(capacity).labels(labels).handler(handler)
                .listener(executions).openTelemetry(openTelemetry)).build();
        track(worker);
        workers.put(id, worker);
        return worker;
    }

    SubmitClient submitter() {
        return track(SubmitClient.builder().bootstrapServers(bootstrapServers).serdeConfig(serdes).topics(topics)
                .openTelemetry(openTelemetry).build());
    }

    OutcomeTracker outcomes() {
        return track(new OutcomeTracker(bootstrapServers, serdes, topics));
    }

    <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Closes everything this stack started, newest first. Idempotent. */
    @Override
    public void close() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
        resources.clear();
        if (!Files.exists(stateRoot)) {
            return;
        }
        try (var paths = Files.walk(stateRoot)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
