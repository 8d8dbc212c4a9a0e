package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerSighting;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the dispatcher's Kafka Streams topology.
 *
 * <pre>
 *   heartbeats ──► heartbeat-processor ──► [worker-view] (global)
 *   tasks ─────┐                                   │ (read)
 *              ├──► dispatch ──► dispatch.worker.&lt;id&gt;  (dynamic topic per worker)
 *   results ───┘      │   └────► dispatch.dlq
 *               [assignments] [pending]
 * </pre>
 *
 * Tasks and results share one sub-topology: a result is keyed by its assignment's routing key (the
 * task ID) and lands in the stream task that holds the assignment, which needs the intake and results
 * topics to have the same partition count.
 */
public final class DispatcherTopology {
    static final String HEARTBEAT_SOURCE = "heartbeat-source";
    static final String INTAKE_SOURCE = "intake-source";
    static final String RESULTS_SOURCE = "results-source";
    static final String DISPATCH = "dispatch";

    private DispatcherTopology() {
    }

    /**
     * The Kafka Streams properties this topology relies on: its exception handlers (which dead-letter
     * bad records) and what they need to find the dead-letter topic and serialize to it.
     */
    public static Map<String, Object> requiredProperties(TopologySettings settings) {
        Map<String, Object> props = new HashMap<>(settings.serdes().toMap());
        props.put(DeadLetterExceptionHandlers.TOPIC_PREFIX_CONFIG, settings.topics().prefix());
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, IntakeDeserializationHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DispatchProcessingExceptionHandler.class);
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        return props;
    }

    /** The topology for {@code settings}, reporting to {@code metrics}. */
    public static Topology build(TopologySettings settings, DispatchMetrics metrics) {
        Serde<String> keys = Serdes.String();
        Serde<Task> tasks = AvroSerdes.serde(Task.class, settings.serdes());
        Serde<TaskResult> results = AvroSerdes.serde(TaskResult.class, settings.serdes());
        Serde<TaskAssignment> assignments = AvroSerdes.serde(TaskAssignment.class, settings.serdes());
        Serde<WorkerHeartbeat> heartbeats = AvroSerdes.serde(WorkerHeartbeat.class, settings.serdes());
        Serde<WorkerSighting> sightings = AvroSerdes.serde(WorkerSighting.class, settings.serdes());
        Serde<DeadLetter> deadLetters = AvroSerdes.serde(DeadLetter.class, settings.serdes());

        Topology topology = new Topology();
        // The worker view is a global store: every instance sees every worker. It is rebuilt from the
        // heartbeat topic itself, so it needs no changelog.
        topology.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(StoreNames.WORKER_VIEW), keys, sightings)
                        .withLoggingDisabled(),
                HEARTBEAT_SOURCE, keys.deserializer(), heartbeats.deserializer(), settings.topics().heartbeats(),
                "heartbeat-processor", () -> new HeartbeatProcessor(metrics));

        topology.addSource(INTAKE_SOURCE, keys.deserializer(), tasks.deserializer(), settings.topics().tasks());
        topology.addSource(RESULTS_SOURCE, keys.deserializer(), results.deserializer(), settings.topics().results());
        topology.addProcessor(DISPATCH, () -> new DispatchProcessor(settings, metrics), INTAKE_SOURCE,
                RESULTS_SOURCE);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.ASSIGNMENTS), keys, assignments), DISPATCH);
        topology.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(StoreNames.PENDING), keys, assignments), DISPATCH);

        TopicNameExtractor<String, SpecificRecord> workerTopic = (key, value, context) ->
                settings.topics().workerTopic(((TaskAssignment) value).getWorkerId());
        topology.addSink(DispatchProcessor.ASSIGNMENT_SINK, workerTopic, keys.serializer(),
                RecordSerializers.narrowing(assignments.serializer()), DISPATCH);
        topology.addSink(DispatchProcessor.DEAD_LETTER_SINK, settings.topics().deadLetters(), keys.serializer(),
                RecordSerializers.narrowing(deadLetters.serializer()), DISPATCH);
        return topology;
    }
}
