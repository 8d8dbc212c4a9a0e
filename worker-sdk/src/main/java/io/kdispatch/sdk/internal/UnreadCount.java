package io.kdispatch.sdk.internal;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The committed assignments in the worker's topic past its position, which it does not read while it holds
 * capacity + maxQueued: the heartbeat's {@code unread}. Without it the dispatcher took a worker that held its
 * whole queue and had a backlog in its topic for one with room, and sent into the backlog on every heartbeat
 * (FairQueueIT: tasks started 11 to 33 s after they were sent).
 *
 * <p>Counted only while reading is paused, and 0 as soon as it resumes: a worker that reads is at most a poll
 * behind, and a count of records it has fetched since would be load counted twice until the next heartbeat,
 * idling its slots (SimulatorAgreementIT measured the stall). One ListOffsets round trip per heartbeat interval
 * while paused; transaction markers count too, so it is an upper bound; when the call fails (a broker away),
 * the last count stands. The consumer is used from the poll thread only; {@link #value} from any thread.
 */
final class UnreadCount {
    private static final Logger log = LoggerFactory.getLogger(UnreadCount.class);
    private static final Duration TIMEOUT = Duration.ofMillis(500);

    private final Consumer<?, ?> consumer;
    private final String workerId;
    private final long intervalNanos;
    private long countedAt = System.nanoTime();
    private volatile int value;

    UnreadCount(Consumer<?, ?> consumer, String workerId, Duration interval) {
        this.consumer = consumer;
        this.workerId = workerId;
        this.intervalNanos = interval.toNanos();
    }

    /** The last count; 0 while the worker reads. */
    int value() {
        return value;
    }

    /** Poll thread, once a cycle: whether reading is paused now. */
    void update(boolean paused) {
        if (!paused) {
            value = 0; // what waited is read now, and counted as queued
        } else if (System.nanoTime() - countedAt >= intervalNanos) {
            count();
        }
    }

    private void count() {
        countedAt = System.nanoTime();
        try {
            long sum = 0;
            for (Map.Entry<TopicPartition, Long> end : consumer.endOffsets(consumer.assignment(), TIMEOUT).entrySet()) {
                sum += Math.max(0, end.getValue() - consumer.position(end.getKey(), TIMEOUT));
            }
            value = (int) Math.min(Integer.MAX_VALUE, sum);
        } catch (KafkaException e) {
            log.debug("worker {}: could not count the unread assignments: {}", workerId, e.toString());
        }
    }
}
