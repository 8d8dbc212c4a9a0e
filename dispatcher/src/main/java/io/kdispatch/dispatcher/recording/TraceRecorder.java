package io.kdispatch.dispatcher.recording;

import io.kdispatch.dispatcher.simulate.Scenario;
import io.kdispatch.dispatcher.simulate.Trace;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a time range of a dispatcher's topics as a {@link Trace}: the intake, the heartbeats, the results
 * and the decisions in the range, and the control topic up to its end. Results and decisions of the range's
 * tasks are read up to {@link #TAIL} past its end, so that a task submitted just before the end still shows
 * how it ended. Reads {@code read_committed} with an assign-only consumer: no group, nothing committed.
 * Records that cannot be decoded are skipped and counted ({@link #unreadable()}). One instance records once.
 */
public final class TraceRecorder {
    /** How long after the range the results and decisions of its tasks are still read. */
    public static final Duration TAIL = Duration.ofSeconds(60);
    private static final Logger log = LoggerFactory.getLogger(TraceRecorder.class);

    private final String bootstrapServers;
    private final SerdeConfig serdes;
    private final Topics topics;
    private final Map<String, Object> clientProperties;
    private long unreadable;

    /**
     * @param clientProperties extra Kafka client settings (security, timeouts), e.g. from {@code --config}
     */
    public TraceRecorder(String bootstrapServers, SerdeConfig serdes, Topics topics,
                         Map<String, Object> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.serdes = serdes;
        this.topics = topics;
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * Records {@code from} to {@code to} (both inclusive).
     *
     * @throws IllegalArgumentException when the range is empty or the intake topic does not exist
     */
    public Trace record(Instant from, Instant to) {
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to-time " + to + " is before --from-time " + from);
        }
        long fromMs = from.toEpochMilli();
        long toMs = to.toEpochMilli();
        long tailMs = toMs + TAIL.toMillis();
        List<Trace.Submitted> tasks = new ArrayList<>();
        List<Trace.Heartbeat> heartbeats = new ArrayList<>();
        List<Trace.Result> results = new ArrayList<>();
        List<Trace.Decision> decisions = new ArrayList<>();
        List<Trace.Control> controls = new ArrayList<>();
        int partitions;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            if (read(consumer, topics.tasks(), fromMs, toMs, Task.class, (r, t) -> tasks.add(task(r, t))) == 0) {
                throw new IllegalArgumentException("topic " + topics.tasks() + " does not exist (check "
                        + "--bootstrap-servers and --topic-prefix)");
            }
            Set<String> ids = new HashSet<>();
            tasks.forEach(t -> ids.add(t.task().id()));
            read(consumer, topics.heartbeats(), fromMs, toMs, WorkerHeartbeat.class,
                    (r, h) -> heartbeats.add(heartbeat(r, h)));
            partitions = read(consumer, topics.results(), fromMs, tailMs, TaskResult.class, (r, res) -> {
                if (r.timestamp() <= toMs || ids.contains(res.getTaskId())) {
                    results.add(result(r, res));
                }
            });
            read(consumer, topics.decisions(), fromMs, tailMs, RoutingExplanation.class, (r, d) -> {
                if (d.getDecidedAt().toEpochMilli() <= toMs || ids.contains(d.getTaskId())) {
                    decisions.add(decision(d));
                }
            });
            read(consumer, topics.control(), null, toMs, ControlCommand.class, (r, c) -> controls.add(control(r, c)));
        }
        decisions.sort(Comparator.comparingLong(Trace.Decision::atMs));
        String source = bootstrapServers + ", topic prefix " + topics.prefix();
        return new Trace(source, fromMs, toMs, partitions, sorted(tasks, Trace.Submitted::atMs),
                sorted(heartbeats, Trace.Heartbeat::atMs), sorted(results, Trace.Result::atMs), decisions,
                sorted(controls, Trace.Control::atMs));
    }

    /** Records that could not be decoded and were skipped. */
    public long unreadable() {
        return unreadable;
    }

    private <T extends org.apache.avro.specific.SpecificRecord> int read(KafkaConsumer<byte[], byte[]> consumer,
            String topic, Long fromMs, long toMs, Class<T> type,
            java.util.function.BiConsumer<ConsumerRecord<byte[], byte[]>, T> sink) {
        try (Deserializer<T> decoder = AvroSerdes.serde(type, serdes).deserializer()) {
            Consumer<ConsumerRecord<byte[], byte[]>> each = r -> {
                if (r.value() == null) {
                    return; // a tombstone: nothing to replay (a control reset is a value with no setting)
                }
                T value;
                try {
                    value = decoder.deserialize(topic, r.value());
                } catch (RuntimeException e) {
                    unreadable++;
                    log.warn("Skipping {}-{}@{}: {}", r.topic(), r.partition(), r.offset(), e.toString());
                    return;
                }
                sink.accept(r, value);
            };
            return TopicRange.read(consumer, topic, fromMs, toMs, each);
        }
    }

    private static Trace.Submitted task(ConsumerRecord<byte[], byte[]> r, Task t) {
        List<Scenario.Requirement> requirements = new ArrayList<>();
        for (LabelRequirement q : t.getLabelRequirements()) {
            requirements.add(new Scenario.Requirement(q.getKey(), q.getOperator().name(), q.getValues()));
        }
        Long deadline = t.getDeadline() == null ? null : t.getDeadline().toEpochMilli() - r.timestamp();
        return new Trace.Submitted(r.timestamp(), t.getType(), new Scenario.TaskSpec(t.getId(), t.getPriority(),
                t.getRequiredLabels(), requirements, t.getPreferredLabels(), t.getAffinityKey(),
                t.getAntiAffinityGroup(), t.getMaxAttempts(), deadline));
    }

    private static Trace.Heartbeat heartbeat(ConsumerRecord<byte[], byte[]> r, WorkerHeartbeat h) {
        return new Trace.Heartbeat(r.timestamp(), h.getWorkerId(), h.getIncarnation(), h.getStatus().name(),
                h.getCapacity(), h.getLabels(), h.getWeight(), h.getMaxQueued(), h.getHeartbeatIntervalMs(),
                h.getInFlight(), h.getQueued());
    }

    private static Trace.Result result(ConsumerRecord<byte[], byte[]> r, TaskResult t) {
        return new Trace.Result(r.timestamp(), t.getTaskId(), t.getWorkerId(), t.getWorkerIncarnation(),
                t.getAttempt(), t.getStatus().name(), t.getStartedAt().toEpochMilli(), Math.max(0, t.getDurationMs()));
    }

    private static Trace.Decision decision(RoutingExplanation d) {
        return new Trace.Decision(d.getDecidedAt().toEpochMilli(), d.getTaskId(), d.getAttempt(),
                d.getOutcome().name(), d.getWorkerId(), d.getRule(), d.getReason());
    }

    private static Trace.Control control(ConsumerRecord<byte[], byte[]> r, ControlCommand c) {
        return new Trace.Control(r.timestamp(), c.getKey(), c.getValue());
    }

    private static <T> List<T> sorted(List<T> list, java.util.function.ToLongFunction<T> at) {
        List<T> out = new ArrayList<>(list);
        out.sort(Comparator.comparingLong(at)); // stable: a partition's order is kept for equal times
        return out;
    }

    private Map<String, Object> consumerProps() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kdispatch-trace-recorder");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return props;
    }
}
