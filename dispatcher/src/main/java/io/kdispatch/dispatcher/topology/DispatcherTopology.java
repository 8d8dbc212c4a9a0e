package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.AffinityBinding;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerBreaker;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerSighting;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.opentelemetry.api.OpenTelemetry;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.processor.WallclockTimestampExtractor;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the dispatcher's Kafka Streams topology.
 *
 * <pre>
 *   heartbeats ─► heartbeat-processor ─► [worker-view] (global)
 *   control ─► control-processor ─► [control] (global)
 *   tasks ─► validate ─┬─ invalid ─► dispatch.dlq
 *                      └─ re-key by routing key ─► (routing repartition) ─┐
 *   results (keyed by routing key) ────────────────────────────────────────┼─► dispatch ─┬─► dispatch.worker.&lt;id&gt;
 *                                       [attempts] [bindings] [breakers]                 ├─► dispatch.dlq
 *                                                                                        └─► dispatch.decisions ─► [explanations]
 * </pre>
 *
 * The routing key is the task's anti-affinity group, else its affinity key, else its ID. Re-keying
 * intake by it puts every member of a group (and every task of an affinity key, in intake order) in
 * one stream task, which therefore sees the whole group when it applies anti-affinity; results carry
 * the same key, so they reach that stream task too. The explanations table is keyed by task ID and
 * answers interactive queries.
 */
public final class DispatcherTopology {
    static final String DISPATCH = "dispatch";

    private DispatcherTopology() {
    }

    /**
     * The Kafka Streams properties this topology relies on: its exception handlers (which dead-letter
     * bad records), what they need to find the dead-letter topic, and the optimization that lets the
     * explanations table reuse the decisions topic instead of a changelog.
     */
    public static Map<String, Object> requiredProperties(TopologySettings settings) {
        return requiredProperties(settings, DispatchMetrics.NOOP);
    }

    /** {@link #requiredProperties(TopologySettings)}, with the metrics the exception handlers count into. */
    public static Map<String, Object> requiredProperties(TopologySettings settings, DispatchMetrics metrics) {
        Map<String, Object> props = new HashMap<>(settings.serdes().toMap());
        props.put(DeadLetterExceptionHandlers.METRICS_CONFIG, metrics);
        props.put(DeadLetterExceptionHandlers.TOPIC_PREFIX_CONFIG, settings.topics().prefix());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, IntakeDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DispatchProcessingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        props.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        return props;
    }

    /** The topology for {@code settings}, reporting to {@code metrics}, without traces. */
    public static Topology build(TopologySettings settings, DispatchMetrics metrics) {
        return build(settings, metrics, OpenTelemetry.noop());
    }

    /**
     * The topology for {@code settings}, reporting to {@code metrics}, with a {@code route} span per routing
     * decision on {@code openTelemetry} (see {@code RouteTracing}; nothing when it is the no-op instance).
     */
    public static Topology build(TopologySettings settings, DispatchMetrics metrics, OpenTelemetry openTelemetry) {
        RouteTracing tracing = new RouteTracing(openTelemetry);
        Serdes serdes = new Serdes(settings);
        StreamsBuilder builder = new StreamsBuilder();
        // The worker view is a global store: every instance sees every worker. It is rebuilt from the
        // heartbeat topic itself, so it needs no changelog.
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.WORKER_VIEW), serdes.keys,
                        serdes.sightings).withLoggingDisabled(),
                settings.topics().heartbeats(), Consumed.with(serdes.keys, serdes.bytes).withName("heartbeats"),
                () -> new HeartbeatProcessor(metrics, serdes.heartbeats.deserializer(),
                        settings.liveness().deadAfter()));
        // Run-time settings: a global store too, so every instance applies every change; the count of
        // changes tells this instance's dispatch processors to apply one before their next record.
        AtomicLong controlChanges = new AtomicLong();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.CONTROL), serdes.keys,
                        serdes.keys).withLoggingDisabled(),
                settings.topics().control(), Consumed.with(serdes.keys, serdes.bytes).withName("control"),
                () -> new ControlProcessor(metrics, serdes.controls.deserializer(), controlChanges));
        // Caching: an attempt sent and finished within one commit interval never reaches RocksDB or its
        // changelog, and a breaker that takes many results per commit is written once.
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.ATTEMPTS), serdes.keys, serdes.attempts)
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.BINDINGS), serdes.keys, serdes.bindings)
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.BREAKERS), serdes.keys, serdes.breakers)
                .withCachingEnabled());

        KStream<String, DispatchInput> tasks = intake(builder, settings, serdes, metrics);
        KStream<String, DispatchInput> results = builder.stream(settings.topics().results(),
                        Consumed.with(serdes.keys, serdes.results).withName("results"))
                .mapValues(result -> result == null ? null : (DispatchInput) new DispatchInput.Reported(result),
                        Named.as("results-as-input"));

        KStream<String, DispatchOutput> out = tasks.merge(results, Named.as("tasks-and-results"))
                .process(() -> new DispatchProcessor(settings, metrics, tracing, controlChanges), Named.as(DISPATCH),
                        StoreNames.ATTEMPTS, StoreNames.BINDINGS, StoreNames.BREAKERS);
        TopicNameExtractor<String, TaskAssignment> workerTopic = (key, assignment, context) ->
                settings.topics().workerTopic(assignment.getWorkerId());
        out.split(Named.as("out-"))
                .branch((k, v) -> v instanceof DispatchOutput.ToWorker, Branched.withConsumer(s -> s
                        .mapValues(v -> ((DispatchOutput.ToWorker) v).assignment(), Named.as("as-assignment"))
                        .to(workerTopic, Produced.with(serdes.keys, serdes.assignments).withName("to-worker"))))
                .branch((k, v) -> v instanceof DispatchOutput.ToDeadLetters, Branched.withConsumer(s -> s
                        .mapValues(v -> ((DispatchOutput.ToDeadLetters) v).deadLetter(), Named.as("as-dead-letter"))
                        .to(settings.topics().deadLetters(),
                                Produced.with(serdes.keys, serdes.deadLetters).withName("to-dlq"))))
                .branch((k, v) -> v instanceof DispatchOutput.ToDecisions, Branched.withConsumer(s -> s
                        .mapValues(v -> ((DispatchOutput.ToDecisions) v).explanation(), Named.as("as-explanation"))
                        .to(settings.topics().decisions(),
                                Produced.with(serdes.keys, serdes.explanations).withName("to-decisions"))))
                .noDefaultBranch();

        builder.table(settings.topics().decisions(), Consumed.with(serdes.keys, serdes.explanations)
                        .withName("decisions"),
                Materialized.<String, RoutingExplanation, KeyValueStore<Bytes, byte[]>>as(StoreNames.EXPLANATIONS)
                        .withKeySerde(serdes.keys).withValueSerde(serdes.explanations));
        Properties optimization = new Properties();
        optimization.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.REUSE_KTABLE_SOURCE_TOPICS);
        return builder.build(optimization);
    }

    /**
     * The intake: each task validated (an invalid one is dead-lettered here) and keyed by its routing key.
     * A task already on the intake partition of its routing key (where {@code SubmitClient} puts it) goes
     * straight to the dispatch processor: the intake's partition p is read by the stream task that owns
     * routing partition p. Any other goes through the routing repartition topic. Both paths end in one
     * sub-topology, so a task and its results meet in one stream task either way.
     *
     * <p>Intake records take the wall-clock time they are read at, not their producer's timestamp. Kafka
     * Streams processes the buffered records of a stream task in timestamp order, and a backlog's records are
     * all older than any result: with their own timestamps they went first as long as any was buffered, so
     * results, and the room they free on workers, waited until the whole backlog had been read (benchmark
     * short-tasks behind 400,000 tasks: the workers were refilled only by heartbeats, 3.7% busy). Nothing in
     * the dispatcher orders by event time (its punctuations run on wall-clock time and its outputs carry their
     * own timestamps), so nothing else changes. Only the intake: results keep their producer's timestamp,
     * which is older than the read time of any intake record buffered beside them, so a result goes first.
     * Reading every source with wall-clock times (the {@code default.timestamp.extractor}) orders results
     * behind the intake buffered before them instead: short-tasks 692-751 tasks/s against 1,311-1,699 with the
     * intake alone (three alternating pairs of runs).
     */
    private static KStream<String, DispatchInput> intake(StreamsBuilder builder, TopologySettings settings,
                                                         Serdes serdes, DispatchMetrics metrics) {
        Map<String, KStream<String, IntakeProcessor.Outcome>> checked = builder.stream(settings.topics().tasks(),
                        Consumed.with(serdes.keys, serdes.tasks).withName("intake")
                                .withTimestampExtractor(new WallclockTimestampExtractor()))
                .process(() -> new IntakeProcessor(settings.partitions(), metrics), Named.as("routing-key"))
                .split(Named.as("intake-"))
                .branch((k, v) -> v instanceof IntakeProcessor.Invalid, Branched.as("invalid"))
                .branch((k, v) -> ((IntakeProcessor.Valid) v).local(), Branched.as("local"))
                .defaultBranch(Branched.as("remote"));
        checked.get("intake-invalid")
                .mapValues(v -> ((IntakeProcessor.Invalid) v).deadLetter(), Named.as("as-invalid-task"))
                .to(settings.topics().deadLetters(), Produced.with(serdes.keys, serdes.deadLetters)
                        .withName("invalid-to-dlq"));
        KStream<String, DispatchInput> local = checked.get("intake-local")
                .mapValues(v -> (DispatchInput) new DispatchInput.Submitted(((IntakeProcessor.Valid) v).task()),
                        Named.as("local-as-input"));
        KStream<String, DispatchInput> remote = checked.get("intake-remote")
                .mapValues(v -> ((IntakeProcessor.Valid) v).task(), Named.as("as-task"))
                .repartition(Repartitioned.with(serdes.keys, serdes.tasks).withName("routing")
                        .withNumberOfPartitions(settings.partitions()))
                .mapValues(task -> (DispatchInput) new DispatchInput.Submitted(task), Named.as("tasks-as-input"));
        return local.merge(remote, Named.as("local-and-repartitioned"));
    }

    /** One serde per record type, all configured alike. */
    private static final class Serdes {
        final Serde<String> keys = org.apache.kafka.common.serialization.Serdes.String();
        /** Control and heartbeat values are decoded by their processors, which count unreadable ones. */
        final Serde<byte[]> bytes = org.apache.kafka.common.serialization.Serdes.ByteArray();
        final Serde<Task> tasks;
        final Serde<TaskResult> results;
        final Serde<TaskAssignment> assignments;
        final Serde<StoredAttempt> attempts;
        final Serde<AffinityBinding> bindings;
        final Serde<WorkerHeartbeat> heartbeats;
        final Serde<WorkerSighting> sightings;
        final Serde<DeadLetter> deadLetters;
        final Serde<RoutingExplanation> explanations;
        final Serde<WorkerBreaker> breakers;
        final Serde<ControlCommand> controls;

        Serdes(TopologySettings settings) {
            tasks = AvroSerdes.serde(Task.class, settings.serdes());
            results = AvroSerdes.serde(TaskResult.class, settings.serdes());
            assignments = AvroSerdes.serde(TaskAssignment.class, settings.serdes());
            attempts = AvroSerdes.serde(StoredAttempt.class, settings.serdes());
            bindings = AvroSerdes.serde(AffinityBinding.class, settings.serdes());
            heartbeats = AvroSerdes.serde(WorkerHeartbeat.class, settings.serdes());
            sightings = AvroSerdes.serde(WorkerSighting.class, settings.serdes());
            deadLetters = AvroSerdes.serde(DeadLetter.class, settings.serdes());
            explanations = AvroSerdes.serde(RoutingExplanation.class, settings.serdes());
            breakers = AvroSerdes.serde(WorkerBreaker.class, settings.serdes());
            controls = AvroSerdes.serde(ControlCommand.class, settings.serdes());
        }
    }
}
