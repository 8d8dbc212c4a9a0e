package io.kdispatch.dispatcher.lag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads the timestamp of the first record at given offsets with an assign-only consumer (no group, no
 * commits), to tell how old the oldest unconsumed task is. Not thread-safe; owned by {@link LagReader}.
 */
final class OldestRecords implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Duration timeout;
    private final Clock clock;

    OldestRecords(Map<String, Object> clientProperties, Duration timeout, Clock clock) {
        Map<String, Object> props = new HashMap<>();
        clientProperties.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "kdispatch-lag-oldest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        // Only the first record per partition matters: keep fetches small.
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 * 1024);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.timeout = timeout;
        this.clock = clock;
    }

    Instant now() {
        return clock.instant();
    }

    /**
     * Age in milliseconds of the first readable record at or after each given offset. A partition whose
     * record is not fetched within the timeout (or holds only transaction markers) is left out.
     */
    Map<TopicPartition, Long> agesMs(Map<TopicPartition, Long> offsets) {
        if (offsets.isEmpty()) {
            return Map.of();
        }
        consumer.assign(List.copyOf(offsets.keySet()));
        offsets.forEach(consumer::seek);
        Map<TopicPartition, Long> ages = new HashMap<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (ages.size() < offsets.size() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (!ages.containsKey(tp) && r.offset() >= offsets.get(tp)) {
                    ages.put(tp, Math.max(0, clock.millis() - r.timestamp()));
                    consumer.pause(List.of(tp));
                }
            }
        }
        consumer.assign(List.of());
        return ages;
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
