package io.kdispatch.dispatcher.lag;

/**
 * Lag of one consumer group on one partition, as {@code kafka-consumer-groups --describe} shows it.
 *
 * @param topic the topic
 * @param partition the partition
 * @param committed the group's committed offset, or {@code -1} when it has committed nothing here
 * @param start the partition's log start offset (where a group without a commit would begin)
 * @param end the end offset a {@code read_committed} consumer can reach (the last stable offset)
 * @param lag {@code end - committed}, or {@code end - start} without a commit; never negative. As in
 *     Kafka's own tools it counts offsets, so transaction markers after the last record count too
 * @param oldestAgeMs age of the record at the committed offset (the oldest unconsumed task) when this
 *     snapshot was taken; 0 when there is no lag or only transaction markers remain
 */
public record PartitionLag(String topic, int partition, long committed, long start, long end, long lag,
                           long oldestAgeMs) {
    /** The offset the group reads next: the committed one, else the log start. */
    public long next() {
        return committed >= 0 ? committed : start;
    }
}
