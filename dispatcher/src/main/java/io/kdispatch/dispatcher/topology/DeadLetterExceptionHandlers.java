package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SchemaRegistryException;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.schemas.serde.UnknownSchemaException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shared machinery of the dispatcher's Kafka Streams exception handlers: both turn a record the
 * dispatcher cannot handle into a {@link DeadLetter} that keeps the original bytes, through Kafka
 * Streams' own dead-letter support (the handler returns the records to produce, and Streams writes
 * them in the same transaction as the rest of the task's output).
 *
 * <p>A failure of the schema registry ({@link SchemaRegistryException}, anywhere in the cause chain, once
 * the serde's own retries of {@link SerdeConfig#retryTimeout()} are spent) says nothing about the record:
 * it is never dead-lettered. The handler fails instead, Kafka Streams replaces the stream thread (the
 * dispatcher's uncaught-exception handler), the open transaction is aborted and the record is read again
 * from the last commit, until the registry answers. The global topics are the exception, because Kafka
 * Streams cannot replace the global thread (its failure would stop the dispatcher): an unreadable heartbeat
 * is dropped and counted (the worker's next one counts), an unreadable control command is dead-lettered as
 * before (replay it). Both only after the serde waited {@link SerdeConfig#retryTimeout()} for a schema it
 * had never seen.
 *
 * <p>Configured from the Streams properties: the serde keys of {@link SerdeConfig} and
 * {@link #TOPIC_PREFIX_CONFIG}.
 */
final class DeadLetterExceptionHandlers {
    /** Streams property naming the topic prefix, so the handlers find the dead-letter topic. */
    static final String TOPIC_PREFIX_CONFIG = "kdispatch.topic.prefix";
    /**
     * Streams property holding the {@link DispatchMetrics} instance itself (Streams hands its handlers the
     * original values), so what they dead-letter or reject is counted like the rest; absent means none.
     */
    static final String METRICS_CONFIG = "kdispatch.metrics";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterExceptionHandlers.class);

    private final Topics topics;
    private final Serializer<DeadLetter> serializer;
    private final DispatchMetrics metrics;

    DeadLetterExceptionHandlers(Map<String, ?> configs) {
        Object prefix = configs.get(TOPIC_PREFIX_CONFIG);
        this.topics = prefix == null ? Topics.defaults() : new Topics(prefix.toString());
        this.serializer = AvroSerdes.serde(DeadLetter.class, SerdeConfig.fromMap(configs)).serializer();
        this.metrics = configs.get(METRICS_CONFIG) instanceof DispatchMetrics m ? m : DispatchMetrics.NOOP;
    }

    /** What a handler does with a record that failed. */
    sealed interface Decision {
        /** The registry failed, not the record: fail, so that the record is read again after the thread's replacement. */
        record RetryLater() implements Decision {
        }

        /** Write these dead letters (none for a heartbeat) and go on with the next record. */
        record Write(List<ProducerRecord<byte[], byte[]>> records) implements Decision {
        }
    }

    /** Dead-letters a failed source record, or has it read again when the registry, not the record, failed. */
    Decision decide(ErrorHandlerContext context, byte[] key, byte[] value, Exception exception, String stage) {
        boolean global = topics.heartbeats().equals(context.topic()) || topics.control().equals(context.topic());
        if (!global && registryFailure(exception)) {
            return retryLater(context, exception, stage);
        }
        try {
            return new Decision.Write(deadLetters(context, key, value, exception, stage));
        } catch (SchemaRegistryException e) { // the dead letter's own schema could not be registered
            return retryLater(context, e, stage);
        }
    }

    private static Decision retryLater(ErrorHandlerContext context, Exception exception, String stage) {
        log.warn("Schema registry unavailable at {} of {}-{}@{}: failing the stream thread, which is replaced and "
                        + "reads the record again (not dead-lettered): {}", stage, context.topic(), context.partition(),
                context.offset(), rootMessage(exception));
        return new Decision.RetryLater();
    }

    /**
     * True when the registry failed and the record may be fine: a {@link SchemaRegistryException} in the cause
     * chain that no {@link UnknownSchemaException} wraps (a schema ID the registry answered it does not know
     * is the record's fault, dead-lettered as {@code UNKNOWN_SCHEMA}).
     */
    static boolean registryFailure(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof UnknownSchemaException) {
                return false;
            }
            if (t instanceof SchemaRegistryException) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof SchemaRegistryException) {
                return t.getMessage();
            }
        }
        return String.valueOf(exception.getMessage());
    }

    /**
     * The dead-letter records for a failed source record, counted by reason; none (a log line and a count of
     * rejected heartbeats) for the heartbeat topic, which is read by the global thread and has no task to
     * dead-letter.
     */
    List<ProducerRecord<byte[], byte[]>> deadLetters(ErrorHandlerContext context, byte[] key, byte[] value,
                                                     Exception exception, String stage) {
        DeadLetterReason reason = classify(exception);
        String detail = stage + " failed: " + describe(exception);
        if (topics.heartbeats().equals(context.topic())) {
            metrics.heartbeatRejected();
            log.warn("Rejected heartbeat record at {}-{}@{}: {}", context.topic(), context.partition(),
                    context.offset(), detail);
            return List.of();
        }
        log.warn("Dead-lettering record at {}-{}@{} ({}): {}", context.topic(), context.partition(),
                context.offset(), reason, detail);
        String taskId = key == null ? null : new String(key, StandardCharsets.UTF_8);
        DeadLetter letter = DeadLetters.forRawRecord(taskId, reason, detail, key, value, context.topic(),
                context.partition(), context.offset(), System.currentTimeMillis());
        String topic = topics.deadLetters();
        metrics.deadLettered(reason.name());
        return List.of(new ProducerRecord<>(topic, null, key == null ? null : DeadLetters.boundedKey(key),
                serializer.serialize(topic, letter)));
    }

    private static DeadLetterReason classify(Exception exception) {
        for (Throwable t = exception; t != null; t = t.getCause()) {
            if (t instanceof UnknownSchemaException) {
                return DeadLetterReason.UNKNOWN_SCHEMA;
            }
            if (t instanceof org.apache.kafka.common.errors.SerializationException) {
                return DeadLetterReason.MALFORMED;
            }
        }
        return DeadLetterReason.PROCESSING_ERROR;
    }

    private static String describe(Throwable exception) {
        StringBuilder sb = new StringBuilder(String.valueOf(exception.getMessage()));
        for (Throwable t = exception.getCause(); t != null && sb.length() < 1_000; t = t.getCause()) {
            sb.append("; caused by ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return sb.toString();
    }
}
