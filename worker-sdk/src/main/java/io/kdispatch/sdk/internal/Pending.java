package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import org.apache.kafka.common.TopicPartition;

/**
 * An assignment read from the worker topic, with where it came from (for the commit) and how its
 * lease is judged (fixed at receipt).
 */
record Pending(TopicPartition partition, long offset, TaskAssignment assignment, LeaseTerms lease) {

    String taskId() {
        return assignment.getTask().getId();
    }
}
