package io.kdispatch.dispatcher.topology;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/**
 * Records that cannot be deserialized (malformed bytes, unknown schema ID, unreadable schema) go to the
 * dead-letter topic with their original bytes and a reason; the dispatcher keeps running. A schema
 * registry that does not answer is not the record's fault: the record is read again instead (see
 * {@link DeadLetterExceptionHandlers}).
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
        DeadLetterExceptionHandlers.Decision decision = deadLetters.decide(context, record.key(), record.value(),
                exception, "deserialization");
        return decision instanceof DeadLetterExceptionHandlers.Decision.Write letters
                ? Response.resume(letters.records()) : Response.fail();
    }
}
