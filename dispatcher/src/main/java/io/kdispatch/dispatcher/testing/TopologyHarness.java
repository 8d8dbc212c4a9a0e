package io.kdispatch.dispatcher.testing;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.topology.DispatcherTopology;
import io.kdispatch.dispatcher.topology.StoreNames;
import io.kdispatch.dispatcher.topology.TopologySettings;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.StoredAttemptState;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Properties;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * The dispatcher's real topology ({@link DispatcherTopology}) on a {@link TopologyTestDriver}, with
 * wall-clock time (and so the liveness, lease and retry punctuation) driven by the caller: typed input
 * and output topics, and the stores a test reads. No broker, no registry: the serdes should point at a
 * {@code mock://} registry scope.
 *
 * <p>The one way this project runs the topology under test: the dispatcher's own topology tests use it
 * (through their fixture), and so does {@code DispatcherTestKit} in the {@code kdispatch-testkit}
 * artifact. {@code kafka-streams-test-utils} is an optional dependency of the dispatcher, so only a
 * classpath that brings it (a test classpath, or the test kit's) can load this class.
 *
 * <p>Not thread-safe, like the driver: one test thread drives it. Every record is piped at the
 * harness's current time.
 */
public final class TopologyHarness implements AutoCloseable {
    /** Where the driven clock starts unless told otherwise. */
    public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

    private final TopologySettings settings;
    private final TopologyTestDriver driver;
    private final TestInputTopic<String, Task> tasks;
    private final TestInputTopic<String, TaskResult> results;
    private final TestInputTopic<String, WorkerHeartbeat> heartbeats;
    private final TestInputTopic<String, ControlCommand> control;
    private final TestOutputTopic<String, DeadLetter> deadLetters;
    private final TestOutputTopic<String, RoutingExplanation> decisions;
    private Instant now;

    /**
     * @param guarantee the processing guarantee ({@link StreamsConfig#EXACTLY_ONCE_V2} as in production, or
     *     {@link StreamsConfig#AT_LEAST_ONCE}: TopologyTestDriver 4.3 drops the dead-letter records a
     *     deserialization handler returns under exactly-once, which the real runtime writes)
     * @param start the wall-clock time the driver starts at
     */
    public TopologyHarness(TopologySettings settings, DispatchMetrics metrics, String guarantee, Instant start) {
        this(settings, metrics, guarantee, start, OpenTelemetry.noop());
    }

    /** As above, with the dispatcher's {@code route} spans recorded on {@code openTelemetry}. */
    public TopologyHarness(TopologySettings settings, DispatchMetrics metrics, String guarantee, Instant start,
                           OpenTelemetry openTelemetry) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.now = Objects.requireNonNull(start, "start");
        Properties props = new Properties();
        props.putAll(DispatcherTopology.requiredProperties(settings, metrics));
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "topology-harness");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        driver = new TopologyTestDriver(DispatcherTopology.build(settings, metrics, openTelemetry), props, start);
        Topics topics = settings.topics();
        tasks = input(topics.tasks(), Task.class);
        results = input(topics.results(), TaskResult.class);
        heartbeats = input(topics.heartbeats(), WorkerHeartbeat.class);
        control = input(topics.control(), ControlCommand.class);
        deadLetters = output(topics.deadLetters(), DeadLetter.class);
        decisions = output(topics.decisions(), RoutingExplanation.class);
    }

    private <T extends SpecificRecord> TestInputTopic<String, T> input(String topic, Class<T> type) {
        return driver.createInputTopic(topic, Serdes.String().serializer(),
                AvroSerdes.serde(type, settings.serdes()).serializer());
    }

    private <T extends SpecificRecord> TestOutputTopic<String, T> output(String topic, Class<T> type) {
        return driver.createOutputTopic(topic, Serdes.String().deserializer(),
                AvroSerdes.serde(type, settings.serdes()).deserializer());
    }

    /** The settings the topology was built with. */
    public TopologySettings settings() {
        return settings;
    }

    /** The driver itself, for what this class does not cover (raw bytes, other stores). */
    public TopologyTestDriver driver() {
        return driver;
    }

    /** The driven wall-clock time. */
    public Instant now() {
        return now;
    }

    /** Moves wall-clock time forward by {@code d}, running every punctuation due on the way. */
    public void advance(Duration d) {
        now = now.plus(d);
        driver.advanceWallClockTime(d);
    }

    /** The intake topic (keyed by task ID). */
    public TestInputTopic<String, Task> tasks() {
        return tasks;
    }

    /** The results topic (keyed by routing key). */
    public TestInputTopic<String, TaskResult> results() {
        return results;
    }

    /** The heartbeat topic (keyed by worker ID). */
    public TestInputTopic<String, WorkerHeartbeat> heartbeats() {
        return heartbeats;
    }

    /** The control topic (keyed by setting key). */
    public TestInputTopic<String, ControlCommand> control() {
        return control;
    }

    /** The dead-letter topic. */
    public TestOutputTopic<String, DeadLetter> deadLetters() {
        return deadLetters;
    }

    /** The decisions topic (every routing decision). */
    public TestOutputTopic<String, RoutingExplanation> decisions() {
        return decisions;
    }

    /** Submits {@code task} now, keyed by its ID as every producer must. */
    public void submit(Task task) {
        tasks.pipeInput(task.getId(), task, now);
    }

    /** Reports {@code result} now, keyed by the routing key of the assignment it answers. */
    public void report(String routingKey, TaskResult result) {
        results.pipeInput(routingKey, result, now);
    }

    /** Delivers {@code heartbeat} now. */
    public void heartbeat(WorkerHeartbeat heartbeat) {
        heartbeats.pipeInput(heartbeat.getWorkerId(), heartbeat, now);
    }

    /** The topic of one worker: what the dispatcher sent it. Reading a record consumes it. */
    public TestOutputTopic<String, TaskAssignment> workerTopic(String workerId) {
        return output(settings.topics().workerTopic(workerId), TaskAssignment.class);
    }

    /** The live attempts (waiting, backing off or assigned), by task ID. */
    public KeyValueStore<String, StoredAttempt> attempts() {
        return driver.getKeyValueStore(StoreNames.ATTEMPTS);
    }

    /** The latest routing decision for {@code taskId} ({@code explain}'s answer), or {@code null}. */
    public RoutingExplanation explanation(String taskId) {
        KeyValueStore<String, ValueAndTimestamp<RoutingExplanation>> store =
                driver.getTimestampedKeyValueStore(StoreNames.EXPLANATIONS);
        ValueAndTimestamp<RoutingExplanation> v = store.get(taskId);
        return v == null ? null : v.value();
    }

    /** How many live attempts wait for a worker (PENDING or BACKING_OFF). */
    public long waiting() {
        long n = 0;
        try (var it = attempts().all()) {
            while (it.hasNext()) {
                n += it.next().value.getState() == StoredAttemptState.ASSIGNED ? 0 : 1;
            }
        }
        return n;
    }

    /** Closes the driver and its state. */
    @Override
    public void close() {
        driver.close();
    }
}
