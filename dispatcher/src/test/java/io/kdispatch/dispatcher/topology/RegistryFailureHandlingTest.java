package io.kdispatch.dispatcher.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SchemaRegistryException;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.schemas.serde.UnknownSchemaException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/**
 * A schema registry that does not answer says nothing about the record: the exception handlers fail (the
 * stream thread is replaced and reads the record again) instead of dead-lettering it, while a record that
 * is itself bad is still dead-lettered; on the global heartbeat topic nothing fails the thread.
 */
class RegistryFailureHandlingTest {
    private static final Topics TOPICS = new Topics("rf");
    private static final SchemaRegistryException AWAY = new SchemaRegistryException(
            "schema registry at http://127.0.0.1:1 is unreachable", "http://127.0.0.1:1/subjects",
            SchemaRegistryException.NO_RESPONSE, 0, null);

    @Test
    void intakeRecordIsReadAgainWhenTheRegistryIsAway() {
        IntakeDeserializationHandler handler = new IntakeDeserializationHandler();
        handler.configure(configs());
        DeserializationExceptionHandler.Response response = handler.handleError(context(TOPICS.tasks()), record(),
                AWAY);
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void aBadIntakeRecordIsStillDeadLettered() {
        IntakeDeserializationHandler handler = new IntakeDeserializationHandler();
        handler.configure(configs());
        DeserializationExceptionHandler.Response response = handler.handleError(context(TOPICS.tasks()), record(),
                new SerializationException("unknown magic byte"));
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).singleElement()
                .satisfies(r -> assertThat(r.topic()).isEqualTo(TOPICS.deadLetters()));
    }

    @Test
    void anIdTheRegistrySaysItDoesNotKnowIsTheRecordsFault() {
        IntakeDeserializationHandler handler = new IntakeDeserializationHandler();
        handler.configure(configs());
        SchemaRegistryException notFound = new SchemaRegistryException("HTTP 404, error_code 40403",
                "http://127.0.0.1:1/schemas/ids/7", 404, 40403, null);
        DeserializationExceptionHandler.Response response = handler.handleError(context(TOPICS.tasks()), record(),
                new UnknownSchemaException(7, "schema id 7 is not in the registry", notFound));
        assertThat(response.result()).isEqualTo(DeserializationExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).hasSize(1);
    }

    @Test
    void aStoreOrSinkThatCannotReachTheRegistryFailsTheThreadInsteadOfDeadLettering() {
        DispatchProcessingExceptionHandler handler = new DispatchProcessingExceptionHandler();
        handler.configure(configs());
        ProcessingExceptionHandler.Response response = handler.handleError(context(TOPICS.results()),
                new Record<>("k", "v", 0L), new StreamsException("store put failed", AWAY));
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void theGlobalHeartbeatThreadIsNeverFailed() {
        DispatchProcessingExceptionHandler handler = new DispatchProcessingExceptionHandler();
        handler.configure(configs());
        ProcessingExceptionHandler.Response response = handler.handleError(context(TOPICS.heartbeats()),
                new Record<>("w1", "v", 0L), AWAY);
        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    private static Map<String, Object> configs() {
        Map<String, Object> configs = new HashMap<>(SerdeConfig.of("mock://registry-failure").toMap());
        configs.put(DeadLetterExceptionHandlers.TOPIC_PREFIX_CONFIG, TOPICS.prefix());
        return configs;
    }

    private static ConsumerRecord<byte[], byte[]> record() {
        return new ConsumerRecord<>(TOPICS.tasks(), 0, 7, bytes("t-1"), bytes("\0\0\0\0\1body"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static ErrorHandlerContext context(String topic) {
        return new ErrorHandlerContext() {
            @Override
            public String topic() {
                return topic;
            }

            @Override
            public int partition() {
                return 0;
            }

            @Override
            public long offset() {
                return 7;
            }

            @Override
            public Headers headers() {
                return new RecordHeaders();
            }

            @Override
            public String processorNodeId() {
                return "dispatch";
            }

            @Override
            public TaskId taskId() {
                return new TaskId(1, 0);
            }

            @Override
            public long timestamp() {
                return 0;
            }

            @Override
            public byte[] sourceRawKey() {
                return bytes("t-1");
            }

            @Override
            public byte[] sourceRawValue() {
                return bytes("\0\0\0\0\1body");
            }
        };
    }
}
