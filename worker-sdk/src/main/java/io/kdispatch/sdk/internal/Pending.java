package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import org.apache.kafka.common.TopicPartition;

/** An assignment read from the worker topic, with where it came from (for the commit). */
record Pending(TopicPartition partition, long offset, TaskAssignment assignment) {

    String taskId() {
        return assignment.getTask().getId();
    }
}
