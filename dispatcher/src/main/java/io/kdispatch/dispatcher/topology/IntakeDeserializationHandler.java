package io.kdispatch.dispatcher.topology;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Records that cannot be deserialized (malformed bytes, unknown schema ID, unreadable schema) go to the
 * dead-letter topic with their original bytes and a reason; the dispatcher keeps running.
 */
public final class IntakeDeserializationHandler implements DeserializationExceptionHandler {
    private DeadLetterExceptionHandlers deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = new DeadLetterExceptionHandlers(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        return Response.resume(deadLetters.deadLetters(context, record.key(), record.value(), exception,
                "deserialization"));
    }
}
