package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import org.apache.kafka.common.TopicPartition;

/**
 * An assignment read from the worker topic, with where it came from (for the commit), when it was
 * received (its wait for a slot is reported with the result) and how its lease is judged (fixed at
 * receipt).
 */
record Pending(TopicPartition partition, long offset, TaskAssignment assignment, Moment receivedAt,
               LeaseTerms lease) {

    String taskId() {
        return assignment.getTask().getId();
    }
}
