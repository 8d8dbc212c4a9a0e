package io.kdispatch.sdk.internal;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far this run of the worker has handled (taken, rejected or skipped) each partition of its topic, so
 * that an assignment read a second time is not run a second time. After a rebalance (a broker outage can
 * cause one) the consumer goes back to the last committed offset, and everything from there up to the
 * newest record handled was handled by this run already: the fault suite saw 41 to 61 attempts run twice
 * per two outages of the only broker. The record, not the task and attempt, is what identifies a reading:
 * a task replayed from the dead-letter topic comes back under its ID as attempt 1 in a new record.
 *
 * <p>One number per partition: a run reads each partition in order from where it starts. Used by the poll
 * thread only; not thread-safe.
 */
final class HandledOffsets {
    private final Map<TopicPartition, Long> highest = new HashMap<>();

    /** True the first time this run handles the record at {@code offset} of {@code partition}. */
    boolean firstTime(TopicPartition partition, long offset) {
        Long before = highest.get(partition);
        if (before != null && offset <= before) {
            return false;
        }
        highest.put(partition, offset);
        return true;
    }
}
