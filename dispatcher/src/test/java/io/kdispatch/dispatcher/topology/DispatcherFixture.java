package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.testing.TopologyHarness;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * A dispatcher topology under {@link TopologyTestDriver}, with wall-clock time driven by the test: the shared
 * {@link TopologyHarness} (which the test kit's {@code DispatcherTestKit} runs on too) plus this module's
 * shorthands for heartbeats, tasks and results.
 */
final class DispatcherFixture implements AutoCloseable {
    static final Duration TICK = Duration.ofMillis(200);
    static final Duration LEASE = Duration.ofSeconds(60);

    final Topics topics = Topics.defaults();
    final SerdeConfig serdes = SerdeConfig.of("mock://topology-" + UUID.randomUUID());
    final TopologyTestDriver driver;
    final TestInputTopic<String, Task> tasks;
    final TestInputTopic<String, byte[]> rawTasks;
    final TestInputTopic<String, TaskResult> results;
    final TestInputTopic<String, WorkerHeartbeat> heartbeats;
    final TestOutputTopic<String, DeadLetter> deadLetters;
    final TestOutputTopic<String, RoutingExplanation> decisions;
    private final TopologyHarness harness;

    DispatcherFixture() {
        this(DispatchMetrics.NOOP, StreamsConfig.EXACTLY_ONCE_V2, RoutingConfig.defaults());
    }

    DispatcherFixture(HealthSettings health) {
        this(DispatchMetrics.NOOP, StreamsConfig.EXACTLY_ONCE_V2, RoutingConfig.defaults(), health);
    }

    DispatcherFixture(RoutingConfig routing) {
        this(DispatchMetrics.NOOP, StreamsConfig.EXACTLY_ONCE_V2, routing);
    }

    DispatcherFixture(DispatchMetrics metrics, String guarantee) {
        this(metrics, guarantee, RoutingConfig.defaults());
    }

    /**
     * @param guarantee the processing guarantee. TopologyTestDriver 4.3 drops the dead-letter records
     *     a deserialization handler returns when it runs exactly-once (the real runtime writes them; the
     *     embedded-broker tests check that), so the deserialization tests here run at-least-once.
     */
    DispatcherFixture(DispatchMetrics metrics, String guarantee, RoutingConfig routing) {
        this(metrics, guarantee, routing, HealthSettings.defaults());
    }

    DispatcherFixture(DispatchMetrics metrics, String guarantee, RoutingConfig routing, HealthSettings health) {
        this(metrics, guarantee, routing, health, OpenTelemetry.noop());
    }

    /** A topology that records its route spans on {@code openTelemetry}. */
    DispatcherFixture(OpenTelemetry openTelemetry) {
        this(DispatchMetrics.NOOP, StreamsConfig.EXACTLY_ONCE_V2, RoutingConfig.defaults(), HealthSettings.defaults(),
                openTelemetry);
    }

    DispatcherFixture(DispatchMetrics metrics, String guarantee, RoutingConfig routing, HealthSettings health,
                      OpenTelemetry openTelemetry) {
        this(metrics, guarantee, routing, health, openTelemetry, QuotaSettings.DEFAULTS, 6);
    }

    /**
     * A topology with quotas, its fleet-wide limits split over {@code partitions} stream tasks. The driver runs
     * only partition 0's stream task, which enforces partition 0's share.
     */
    DispatcherFixture(DispatchMetrics metrics, QuotaSettings quotas, int partitions) {
        this(metrics, StreamsConfig.EXACTLY_ONCE_V2, RoutingConfig.defaults(), HealthSettings.defaults(),
                OpenTelemetry.noop(), quotas, partitions);
    }

    private DispatcherFixture(DispatchMetrics metrics, String guarantee, RoutingConfig routing, HealthSettings health,
                              OpenTelemetry openTelemetry, QuotaSettings quotas, int partitions) {
        TopologySettings settings = new TopologySettings(topics, serdes, LivenessPolicy.defaults(), TICK, LEASE,
                routing, partitions, true, health, quotas);
        harness = new TopologyHarness(settings, metrics, guarantee, TopologyHarness.DEFAULT_START, openTelemetry);
        driver = harness.driver();
        tasks = harness.tasks();
        rawTasks = driver.createInputTopic(topics.tasks(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
        results = harness.results();
        heartbeats = harness.heartbeats();
        deadLetters = harness.deadLetters();
        decisions = harness.decisions();
    }

    /** Sends a control command (a null value: back to the default), as an operator's {@code config set}. */
    void control(String key, String value) {
        harness.control().pipeInput(key, new io.kdispatch.schemas.ControlCommand(key, value, now(), "test"), now());
    }

    TestOutputTopic<String, TaskAssignment> workerTopic(String workerId) {
        return harness.workerTopic(workerId);
    }

    /** The live attempts (waiting, backing off or assigned), by task ID. */
    KeyValueStore<String, StoredAttempt> attempts() {
        return harness.attempts();
    }

    RoutingExplanation explanation(String taskId) {
        return harness.explanation(taskId);
    }

    /** How many live attempts wait for a worker (PENDING or BACKING_OFF). */
    long waiting() {
        return harness.waiting();
    }

    /** Moves wall-clock time (and so punctuation) forward. */
    void advance(Duration d) {
        harness.advance(d);
    }

    Instant now() {
        return harness.now();
    }

    void heartbeat(String workerId, Map<String, String> labels) {
        heartbeat(workerId, labels, WorkerStatus.READY, 7L);
    }

    void heartbeat(String workerId, Map<String, String> labels, WorkerStatus status, long incarnation) {
        heartbeat(workerId, labels, status, incarnation, 1_000, 0);
    }

    /** A ready worker with a declared weight. */
    void weightedHeartbeat(String workerId, double weight) {
        heartbeats.pipeInput(workerId, WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId).setIncarnation(7L).setStatus(WorkerStatus.READY).setCapacity(100_000)
                .setWeight(weight).setSentAt(now()).build(), now());
    }

    /** A result with a given duration, which feeds the worker's service-time estimate. */
    void result(TaskAssignment a, ResultStatus status, long durationMs) {
        results.pipeInput(a.getRoutingKey(), TaskResult.newBuilder()
                .setTaskId(a.getTask().getId()).setWorkerId(a.getWorkerId())
                .setWorkerIncarnation(a.getWorkerIncarnation()).setAttempt(a.getAttempt()).setStatus(status)
                .setStartedAt(now()).setCompletedAt(now()).setDurationMs(durationMs).build(), now());
    }

    /** A heartbeat with explicit capacity and reported in-flight count. */
    void heartbeat(String workerId, Map<String, String> labels, WorkerStatus status, long incarnation,
                   int capacity, int inFlight) {
        heartbeats.pipeInput(workerId, WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId).setIncarnation(incarnation).setStatus(status).setLabels(labels)
                .setCapacity(capacity).setInFlight(inFlight).setSentAt(now()).build(), now());
    }

    /** A ready worker of an SDK that declares how many assignments it queues beyond its capacity. */
    void declaringHeartbeat(String workerId, int capacity, int maxQueued) {
        heartbeats.pipeInput(workerId, WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId).setIncarnation(7L).setStatus(WorkerStatus.READY).setCapacity(capacity)
                .setMaxQueued(maxQueued).setSentAt(now()).build(), now());
    }

    /** A result that also says how long the attempt waited on the worker before it started. */
    void result(TaskAssignment a, ResultStatus status, long durationMs, long queuedMs) {
        results.pipeInput(a.getRoutingKey(), TaskResult.newBuilder()
                .setTaskId(a.getTask().getId()).setWorkerId(a.getWorkerId())
                .setWorkerIncarnation(a.getWorkerIncarnation()).setAttempt(a.getAttempt()).setStatus(status)
                .setStartedAt(now()).setCompletedAt(now()).setDurationMs(durationMs).setQueuedMs(queuedMs).build(), now());
    }

    /** Heartbeats the workers and lets a tick pass so the dispatcher sees them. */
    /**
     * Keeps {@code ids} alive (a heartbeat every 500 ms) until the dispatch tasks reclaim again: right after
     * a stream task opens it reclaims nothing for the liveness {@code suspect.after} (the results that came
     * in meanwhile first), so a test of what happens in steady state starts after it.
     */
    void settle(String... ids) {
        for (long ms = 0; ms <= LivenessPolicy.DEFAULT_SUSPECT_AFTER.toMillis(); ms += 500) {
            advance(Duration.ofMillis(500));
            for (String id : ids) {
                heartbeat(id, Map.of());
            }
        }
    }

    void workers(String... ids) {
        for (String id : ids) {
            heartbeat(id, Map.of());
        }
        advance(TICK);
    }

    static Task.Builder task(String id) {
        return Task.newBuilder().setId(id).setType("echo").setPayload(ByteBuffer.wrap(new byte[] {1}));
    }

    void submit(Task task) {
        tasks.pipeInput(task.getId(), task, now());
    }

    /** Submits tasks in order. */
    void submitAll(Task... all) {
        for (Task t : all) {
            submit(t);
        }
    }

    void result(TaskAssignment a, ResultStatus status) {
        results.pipeInput(a.getRoutingKey(), TaskResult.newBuilder()
                .setTaskId(a.getTask().getId()).setWorkerId(a.getWorkerId())
                .setWorkerIncarnation(a.getWorkerIncarnation()).setAttempt(a.getAttempt()).setStatus(status)
                .setError(status == ResultStatus.FAILED ? "boom" : null)
                .setStartedAt(now()).setCompletedAt(now()).setDurationMs(1).build(), now());
    }

    static List<TaskAssignment> drain(TestOutputTopic<String, TaskAssignment> topic) {
        return topic.readValuesToList();
    }

    @Override
    public void close() {
        harness.close();
    }
}
