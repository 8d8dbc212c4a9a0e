package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.StoredAttemptState;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/** A dispatcher topology under {@link TopologyTestDriver}, with wall-clock time driven by the test. */
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
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

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
        TopologySettings settings = new TopologySettings(topics, serdes, LivenessPolicy.defaults(), TICK, LEASE,
                routing, 6, true, health);
        Properties props = new Properties();
        props.putAll(DispatcherTopology.requiredProperties(settings));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        driver = new TopologyTestDriver(DispatcherTopology.build(settings, metrics), props, now);
        var keys = Serdes.String();
        tasks = driver.createInputTopic(topics.tasks(), keys.serializer(),
                AvroSerdes.serde(Task.class, serdes).serializer());
        rawTasks = driver.createInputTopic(topics.tasks(), keys.serializer(), Serdes.ByteArray().serializer());
        results = driver.createInputTopic(topics.results(), keys.serializer(),
                AvroSerdes.serde(TaskResult.class, serdes).serializer());
        heartbeats = driver.createInputTopic(topics.heartbeats(), keys.serializer(),
                AvroSerdes.serde(WorkerHeartbeat.class, serdes).serializer());
        deadLetters = driver.createOutputTopic(topics.deadLetters(), keys.deserializer(),
                AvroSerdes.serde(DeadLetter.class, serdes).deserializer());
        decisions = driver.createOutputTopic(topics.decisions(), keys.deserializer(),
                AvroSerdes.serde(RoutingExplanation.class, serdes).deserializer());
    }

    TestOutputTopic<String, TaskAssignment> workerTopic(String workerId) {
        return driver.createOutputTopic(topics.workerTopic(workerId), Serdes.String().deserializer(),
                AvroSerdes.serde(TaskAssignment.class, serdes).deserializer());
    }

    /** The live attempts (waiting, backing off or assigned), by task ID. */
    KeyValueStore<String, StoredAttempt> attempts() {
        return driver.getKeyValueStore(StoreNames.ATTEMPTS);
    }

    RoutingExplanation explanation(String taskId) {
        KeyValueStore<String, ValueAndTimestamp<RoutingExplanation>> store =
                driver.getTimestampedKeyValueStore(StoreNames.EXPLANATIONS);
        ValueAndTimestamp<RoutingExplanation> v = store.get(taskId);
        return v == null ? null : v.value();
    }

    /** How many live attempts wait for a worker (PENDING or BACKING_OFF). */
    long waiting() {
        long n = 0;
        try (var it = attempts().all()) {
            while (it.hasNext()) {
                n += it.next().value.getState() == StoredAttemptState.ASSIGNED ? 0 : 1;
            }
        }
        return n;
    }

    /** Moves wall-clock time (and so punctuation) forward. */
    void advance(Duration d) {
        now = now.plus(d);
        driver.advanceWallClockTime(d);
    }

    Instant now() {
        return now;
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
                .setWeight(weight).setSentAt(now).build(), now);
    }

    /** A result with a given duration, which feeds the worker's service-time estimate. */
    void result(TaskAssignment a, ResultStatus status, long durationMs) {
        results.pipeInput(a.getRoutingKey(), TaskResult.newBuilder()
                .setTaskId(a.getTask().getId()).setWorkerId(a.getWorkerId())
                .setWorkerIncarnation(a.getWorkerIncarnation()).setAttempt(a.getAttempt()).setStatus(status)
                .setStartedAt(now).setCompletedAt(now).setDurationMs(durationMs).build(), now);
    }

    /** A heartbeat with explicit capacity and reported in-flight count. */
    void heartbeat(String workerId, Map<String, String> labels, WorkerStatus status, long incarnation,
                   int capacity, int inFlight) {
        heartbeats.pipeInput(workerId, WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId).setIncarnation(incarnation).setStatus(status).setLabels(labels)
                .setCapacity(capacity).setInFlight(inFlight).setSentAt(now).build(), now);
    }

    /** A ready worker of an SDK that declares how many assignments it queues beyond its capacity. */
    void declaringHeartbeat(String workerId, int capacity, int maxQueued) {
        heartbeats.pipeInput(workerId, WorkerHeartbeat.newBuilder()
                .setWorkerId(workerId).setIncarnation(7L).setStatus(WorkerStatus.READY).setCapacity(capacity)
                .setMaxQueued(maxQueued).setSentAt(now).build(), now);
    }

    /** A result that also says how long the attempt waited on the worker before it started. */
    void result(TaskAssignment a, ResultStatus status, long durationMs, long queuedMs) {
        results.pipeInput(a.getRoutingKey(), TaskResult.newBuilder()
                .setTaskId(a.getTask().getId()).setWorkerId(a.getWorkerId())
                .setWorkerIncarnation(a.getWorkerIncarnation()).setAttempt(a.getAttempt()).setStatus(status)
                .setStartedAt(now).setCompletedAt(now).setDurationMs(durationMs).setQueuedMs(queuedMs).build(), now);
    }

    /** Heartbeats the workers and lets a tick pass so the dispatcher sees them. */
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
        tasks.pipeInput(task.getId(), task, now);
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
                .setStartedAt(now).setCompletedAt(now).setDurationMs(1).build(), now);
    }

    static List<TaskAssignment> drain(TestOutputTopic<String, TaskAssignment> topic) {
        return topic.readValuesToList();
    }

    @Override
    public void close() {
        driver.close();
    }
}
