package io.kdispatch.sdk.it;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic from the beginning (no group, read_committed) and keeps what it read. Test thread only. */
final class TopicReader<T> implements AutoCloseable {
    private final KafkaConsumer<String, T> consumer;
    private final List<ConsumerRecord<String, T>> records = new ArrayList<>();

    TopicReader(String bootstrap, String topic, Deserializer<T> values) {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "test-reader-" + UUID.randomUUID()),
                new StringDeserializer(), values);
        // Right after the topic is created its metadata may not have reached this client yet: an empty list then.
        List<TopicPartition> partitions = await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.partitionsFor(topic).stream()
                        .map(info -> new TopicPartition(topic, info.partition())).toList(), list -> !list.isEmpty());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, after one more short poll. */
    List<ConsumerRecord<String, T>> read() {
        consumer.poll(Duration.ofMillis(50)).forEach(records::add);
        return List.copyOf(records);
    }

    List<T> values() {
        return read().stream().map(ConsumerRecord::value).toList();
    }

    /** Waits until at least {@code count} records match, and returns all records read. */
    List<ConsumerRecord<String, T>> awaitMatching(int count, Predicate<T> condition) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> read().stream().filter(r -> condition.test(r.value())).count() >= count);
        return read();
    }

    List<ConsumerRecord<String, T>> awaitCount(int count) {
        return awaitMatching(count, value -> true);
    }

    @Override
    public void close() {
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
}
