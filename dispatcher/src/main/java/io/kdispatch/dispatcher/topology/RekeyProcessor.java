package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.Task;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Re-keys an intake task by its routing key (see {@link RoutingKeys}). The intake key is part of the
 * contract (it must be the task ID); after re-keying it is gone, so a mismatch is carried to the
 * dispatch processor in a header, which dead-letters the task with the reason.
 */
final class RekeyProcessor implements Processor<String, Task, String, Task> {
    /** Header carrying an intake key that differs from the task ID. */
    static final String KEY_MISMATCH_HEADER = "kdispatch.intake-key";

    private ProcessorContext<String, Task> context;

    @Override
    public void init(ProcessorContext<String, Task> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Task> record) {
        Task task = record.value();
        Record<String, Task> out = record.withKey(RoutingKeys.of(record.key(), task));
        if (task != null && record.key() != null && !record.key().equals(task.getId())) {
            out.headers().add(KEY_MISMATCH_HEADER, record.key().getBytes(StandardCharsets.UTF_8));
        }
        context.forward(out);
    }

    /** The intake key recorded by {@link #process}, or null when it matched the task ID. */
    static String mismatchedKey(Iterable<Header> headers) {
        for (Header h : headers) {
            if (KEY_MISMATCH_HEADER.equals(h.key())) {
                return new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
