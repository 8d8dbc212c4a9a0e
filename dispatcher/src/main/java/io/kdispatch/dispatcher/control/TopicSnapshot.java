package io.kdispatch.dispatcher.control;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a keyed topic from the beginning up to the end offsets seen when the read starts and returns the
 * latest record per key: how a compacted topic (control, heartbeats) is turned into its current state
 * without a consumer group. Tombstones remove their key; unreadable records are skipped with a WARN line.
 * The consumer closes {@code values} when the read ends, so pass a deserializer that is not shared.
 */
public final class TopicSnapshot {
    private static final Logger log = LoggerFactory.getLogger(TopicSnapshot.class);

    private TopicSnapshot() {
    }

    /** The latest record per key, in first-seen key order. */
    public static <V> Map<String, ConsumerRecord<String, V>> read(String bootstrapServers, String topic,
                                                                  Deserializer<V> values, Duration timeout)
            throws TimeoutException {
        return read(bootstrapServers, Map.of(), topic, values, timeout);
    }

    /**
     * The latest record per key, in first-seen key order, read with extra client settings (security and
     * the like); a group ID among them is ignored, since the read needs none.
     */
    public static <V> Map<String, ConsumerRecord<String, V>> read(String bootstrapServers,
                                                                  Map<String, Object> clientProperties, String topic,
                                                                  Deserializer<V> values, Duration timeout)
            throws TimeoutException {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        props.putAll(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "kdispatch-snapshot-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalStateException("topic " + topic + " does not exist; start a dispatcher or run "
                        + "'topics' to create it");
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions, timeout));
            Map<String, ConsumerRecord<String, V>> latest = new LinkedHashMap<>();
            while (!reachedEnd(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("reading " + topic + " did not reach its end within " + timeout);
                }
                poll(consumer, latest);
            }
            return latest;
        }
    }

    private static <V> void poll(KafkaConsumer<String, V> consumer, Map<String, ConsumerRecord<String, V>> latest) {
        try {
            for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
                if (r.key() == null) {
                    continue;
                }
                if (r.value() == null) {
                    latest.remove(r.key());
                } else {
                    latest.put(r.key(), r);
                }
            }
        } catch (RecordDeserializationException e) {
            log.warn("Skipped unreadable record at {}@{}: {}", e.topicPartition(), e.offset(),
                    e.getCause() == null ? e.getMessage() : e.getCause().toString());
            consumer.seek(e.topicPartition(), e.offset() + 1);
        }
    }

    private static boolean reachedEnd(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end) {
        Set<TopicPartition> open = end.entrySet().stream().filter(e -> consumer.position(e.getKey()) < e.getValue())
                .map(Map.Entry::getKey).collect(Collectors.toSet());
        return open.isEmpty();
    }
}
