package io.kdispatch.dispatcher.topology;

import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;

/**
 * A record whose processing throws goes to the dead-letter topic with its original bytes and the
 * error; the dispatcher keeps running instead of stopping its stream thread. A schema registry failure
 * is not the record's fault: the record is read again instead (see {@link DeadLetterExceptionHandlers}).
 */
public final class DispatchProcessingExceptionHandler implements ProcessingExceptionHandler {
    private DeadLetterExceptionHandlers deadLetters;

    @Override
    public void configure(Map<String, ?> configs) {
        deadLetters = new DeadLetterExceptionHandlers(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        DeadLetterExceptionHandlers.Decision decision = deadLetters.decide(context, context.sourceRawKey(), context.sourceRawValue(), exception,
                "processing");
        return decision instanceof DeadLetterExceptionHandlers.Decision.Write letters
                ? Response.resume(letters.records()) : Response.fail();
    }
}
