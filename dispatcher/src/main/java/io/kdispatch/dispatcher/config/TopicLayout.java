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
    public static final int MAX_PARTITIONS = 10_000;
    /** The replication factor that takes the broker's default. */
    public static final short BROKER_DEFAULT_REPLICATION = -1;
    public static final short MAX_REPLICATION = 32;

    public TopicLayout {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new IllegalArgumentException("partitions must be between 1 and " + MAX_PARTITIONS + ", was "
                    + partitions);
        }
        if (replicationFactor != BROKER_DEFAULT_REPLICATION && (replicationFactor < 1
                || replicationFactor > MAX_REPLICATION)) {
            throw new IllegalArgumentException("replication factor must be " + BROKER_DEFAULT_REPLICATION
                    + " (broker default) or 1-" + MAX_REPLICATION + ", was " + replicationFactor);
        }
    }

    public static TopicLayout defaults() {
        return new TopicLayout(DEFAULT_PARTITIONS, BROKER_DEFAULT_REPLICATION);
    }
}
