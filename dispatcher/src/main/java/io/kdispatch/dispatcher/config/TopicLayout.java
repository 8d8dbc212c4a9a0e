package io.kdispatch.dispatcher.config;

/**
 * Partition counts and replication for the topics the dispatcher creates.
 *
 * <p>Intake and results must have the same partition count: a result is keyed by its routing key
 * and must reach the stream task that holds the assignment.
 *
 * @param partitions partitions of the intake and results topics (default 6)
 * @param replicationFactor replication of every topic; -1 takes the broker default
 */
public record TopicLayout(int partitions, short replicationFactor) {
    public static final int DEFAULT_PARTITIONS = 6;

    public TopicLayout {
        if (partitions < 1 || partitions > 10_000) {
            throw new IllegalArgumentException("partitions must be between 1 and 10000, was " + partitions);
        }
        if (replicationFactor != -1 && (replicationFactor < 1 || replicationFactor > 32)) {
            throw new IllegalArgumentException("replication factor must be -1 (broker default) or 1-32, was "
                    + replicationFactor);
        }
    }

    public static TopicLayout defaults() {
        return new TopicLayout(DEFAULT_PARTITIONS, (short) -1);
    }
}
