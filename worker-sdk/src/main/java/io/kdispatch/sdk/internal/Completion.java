package io.kdispatch.sdk.internal;

import org.apache.kafka.common.TopicPartition;

/** A record whose result the broker acknowledged: its offset may now be committed. */
record Completion(TopicPartition partition, long offset) {
}
