package io.kdispatch.dispatcher.lag;

import java.util.List;

/**
 * Lag of one consumer group on one topic: a worker's group on its own topic, or the dispatcher's
 * Kafka Streams group on the intake topic.
 *
 * @param name the worker ID, or {@code intake}
 * @param group the consumer group ({@code kdispatch-worker-<id>} or the Streams application ID)
 * @param topic the topic the group reads
 * @param partitions one entry per partition, ordered by partition
 */
public record GroupLag(String name, String group, String topic, List<PartitionLag> partitions) {
    public GroupLag {
        partitions = List.copyOf(partitions);
    }

    /** Records behind, summed over partitions. */
    public long lag() {
        return partitions.stream().mapToLong(PartitionLag::lag).sum();
    }

    /** Age in seconds of the oldest unconsumed record over all partitions; 0 when none. */
    public double oldestAgeSeconds() {
        return partitions.stream().mapToLong(PartitionLag::oldestAgeMs).max().orElse(0) / 1000.0;
    }
}
