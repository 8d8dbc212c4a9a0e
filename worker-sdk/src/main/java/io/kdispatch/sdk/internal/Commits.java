package io.kdispatch.sdk.internal;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker topic's offset commits: what was received, what is done, and committing the
 * positions below which everything is done (see {@link OffsetTracker}).
 *
 * <p>Threading: poll thread only, except {@link #completions()}, which any thread may add to
 * once a result was acknowledged.
 */
final class Commits {
    private static final Logger log = LoggerFactory.getLogger(Commits.class);

    private final Consumer<String, byte[]> consumer;
    private final String workerId;
    private final OffsetTracker<TopicPartition> offsets = new OffsetTracker<>();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();

    Commits(Consumer<String, byte[]> consumer, String workerId) {
        this.consumer = consumer;
        this.workerId = workerId;
    }

    /** Where other threads report acknowledged results. */
    Queue<Completion> completions() {
        return completions;
    }

    void received(TopicPartition partition, long offset) {
        offsets.received(partition, offset);
    }

    /** A record finished without a result to wait for (skipped). */
    void completed(TopicPartition partition, long offset) {
        offsets.completed(partition, offset);
    }

    void applyCompletions() {
        for (Completion c = completions.poll(); c != null; c = completions.poll()) {
            offsets.completed(c.partition(), c.offset());
        }
    }

    /** Commits, without waiting, the positions that moved. */
    void commitAdvanced() {
        Map<TopicPartition, Long> advanced = offsets.advanced();
        if (!advanced.isEmpty()) {
            consumer.commitAsync(toOffsets(advanced), (committed, error) -> {
                if (error != null) {
                    log.warn("worker {}: offset commit failed (a later commit covers it): {}",
                            workerId, error.toString());
                }
            });
        }
    }

    /** Commits every position and waits (on shutdown). */
    void commitFinal(Duration timeout) {
        applyCompletions();
        Map<TopicPartition, OffsetAndMetadata> positions = toOffsets(offsets.positions());
        for (int tries = 0; tries < 3 && !positions.isEmpty(); tries++) {
            try {
                consumer.commitSync(positions, timeout);
                log.debug("worker {}: committed {}", workerId, positions);
                return;
            } catch (WakeupException e) {
                // a late slotFreed(); commit again
            }
        }
    }

    /** Commits what is done of partitions being revoked, without waiting. */
    void commitRevoked(Collection<TopicPartition> partitions) {
        applyCompletions();
        Map<TopicPartition, Long> positions = new HashMap<>();
        for (TopicPartition p : partitions) {
            long position = offsets.position(p);
            if (position >= 0) {
                positions.put(p, position);
            }
        }
        if (!positions.isEmpty()) {
            consumer.commitAsync(toOffsets(positions), null);
        }
    }

    /** Forgets partitions no longer assigned: later completions for them are ignored. */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(offsets::forget);
    }

    private static Map<TopicPartition, OffsetAndMetadata> toOffsets(Map<TopicPartition, Long> positions) {
        Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
        positions.forEach((partition, offset) -> result.put(partition, new OffsetAndMetadata(offset)));
        return result;
    }
}
