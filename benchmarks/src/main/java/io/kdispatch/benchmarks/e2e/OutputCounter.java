package io.kdispatch.benchmarks.e2e;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Counts what reaches a set of topics, from the outside: an independent {@code read_committed}
 * consumer (pattern subscription), so a figure never depends on the dispatcher's own metrics. It sees
 * what a worker would see: under exactly-once, only committed records.
 *
 * <p>Optionally it also measures latency: {@code submittedAt} extracts a record's submit time
 * (wall-clock ms, or -1 when unknown) and the counter records {@code now - submittedAt} for records
 * submitted at or after {@link #measureFrom(long)}. Producer and counter share this machine's clock.
 */
final class OutputCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Thread thread;
    private final AtomicLong count = new AtomicLong();
    private final ToLongFunction<ConsumerRecord<byte[], byte[]>> submittedAt;
    private final Histogram latency = new Histogram(3_600_000L, 3);
    private volatile long measureFromMs = Long.MAX_VALUE;
    private volatile RuntimeException failure;
    /** Keys seen, when counting distinct keys (the counter's own thread only); null when counting records. */
    private final Set<ByteBuffer> keys;

    private OutputCounter(String bootstrap, Pattern topics, ToLongFunction<ConsumerRecord<byte[], byte[]>> submittedAt,
                          boolean distinct) {
        this.submittedAt = submittedAt;
        this.keys = distinct ? new HashSet<>() : null;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-counter-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 1_000),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(topics);
        this.thread = new Thread(this::run, "bench-counter-" + topics.pattern());
        thread.setDaemon(true);
        thread.start();
    }

    /** Counts records of the topics matching {@code topics}. */
    static OutputCounter counting(String bootstrap, Pattern topics) {
        return new OutputCounter(bootstrap, topics, null, false);
    }

    /**
     * Counts distinct record keys (task IDs on worker topics) of the topics matching {@code topics}: a task
     * sent twice counts once, so the count says how many tasks arrived, not how many sends.
     */
    static OutputCounter distinctKeys(String bootstrap, Pattern topics) {
        return new OutputCounter(bootstrap, topics, null, true);
    }

    /** Counts and measures latency with {@code submittedAt}. */
    static OutputCounter timing(String bootstrap, Pattern topics,
                                ToLongFunction<ConsumerRecord<byte[], byte[]>> submittedAt) {
        return new OutputCounter(bootstrap, topics, submittedAt, false);
    }

    /** Records counted so far; fails if the counter's consumer failed. */
    long count() {
        RuntimeException e = failure;
        if (e != null) {
            throw new IllegalStateException("the counting consumer failed", e);
        }
        return count.get();
    }

    /** Latency is recorded for records submitted at or after {@code epochMs}. */
    void measureFrom(long epochMs) {
        measureFromMs = epochMs;
    }

    /** A copy of the latency histogram (milliseconds). */
    Histogram latency() {
        synchronized (latency) {
            return latency.copy();
        }
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                long now = System.currentTimeMillis();
                if (submittedAt != null) {
                    time(records, now);
                }
                count.addAndGet(keys == null ? records.count() : newKeys(records));
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private int newKeys(ConsumerRecords<byte[], byte[]> records) {
        int added = 0;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            added += record.key() != null && keys.add(ByteBuffer.wrap(record.key())) ? 1 : 0;
        }
        return added;
    }

    private void time(ConsumerRecords<byte[], byte[]> records, long now) {
        long from = measureFromMs;
        synchronized (latency) {
            for (ConsumerRecord<byte[], byte[]> record : records) {
                long at = submittedAt.applyAsLong(record);
                if (at >= from) {
                    latency.recordValue(Math.max(0, now - at));
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Percentiles of a latency histogram, in milliseconds. */
    record Percentiles(long count, long p50, long p99, long p999, long max) {
        static Percentiles of(Histogram h) {
            return new Percentiles(h.getTotalCount(), h.getValueAtPercentile(50), h.getValueAtPercentile(99),
                    h.getValueAtPercentile(99.9), h.getMaxValue());
        }

        List<Long> values() {
            return List.of(p50, p99, p999);
        }
    }
}
