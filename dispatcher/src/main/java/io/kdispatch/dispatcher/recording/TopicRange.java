package io.kdispatch.dispatcher.recording;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads the records of one topic whose timestamps fall in a range: every partition from the first record at
 * or after {@code fromMs} (or from its start) up to the end offset it had when the read began, stopping early
 * at the first record more than {@link #SLACK_MS} later than {@code toMs}; records outside the range are
 * skipped. Assign-only: no group, nothing committed, so it never disturbs the dispatcher's consumers. The consumer is the caller's and is left assigned to nothing.
 */
final class TopicRange {
    private static final Duration POLL = Duration.ofMillis(200);
    /**
     * Producers' clocks differ, so timestamps are not quite in offset order: a record up to this much later
     * than the range does not end it, and the records in range after it are still read.
     */
    static final long SLACK_MS = 5_000;

    private TopicRange() {
    }

    /**
     * Hands each record of {@code topic} in the range to {@code sink}, partition by partition in offset order.
     *
     * @param fromMs first timestamp, or {@code null} to start at the beginning of each partition
     * @return the number of partitions, 0 when the topic does not exist
     */
    static int read(KafkaConsumer<byte[], byte[]> consumer, String topic, Long fromMs, long toMs,
                    Consumer<ConsumerRecord<byte[], byte[]>> sink) {
        var infos = consumer.partitionsFor(topic);
        if (infos == null || infos.isEmpty()) {
            return 0;
        }
        List<TopicPartition> tps = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(tps);
        Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
        Set<TopicPartition> active = new HashSet<>(tps);
        seek(consumer, tps, fromMs, ends);
        active.removeIf(tp -> consumer.position(tp) >= ends.get(tp));
        while (!active.isEmpty()) {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(POLL)) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                if (!active.contains(tp)) {
                    continue;
                }
                if (r.offset() >= ends.get(tp) || r.timestamp() > toMs + SLACK_MS) {
                    stop(consumer, active, tp);
                } else if (r.timestamp() <= toMs && (fromMs == null || r.timestamp() >= fromMs)) {
                    sink.accept(r);
                }
            }
            for (TopicPartition tp : List.copyOf(active)) {
                if (consumer.position(tp) >= ends.get(tp)) {
                    stop(consumer, active, tp);
                }
            }
        }
        consumer.assign(List.of());
        return tps.size();
    }

    private static void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> tps, Long fromMs,
                             Map<TopicPartition, Long> ends) {
        if (fromMs == null) {
            consumer.seekToBeginning(tps);
            return;
        }
        Map<TopicPartition, Long> query = new HashMap<>();
        tps.forEach(tp -> query.put(tp, fromMs));
        consumer.offsetsForTimes(query).forEach((tp, found) -> consumer.seek(tp, found == null ? ends.get(tp)
                : found.offset()));
    }

    private static void stop(KafkaConsumer<byte[], byte[]> consumer, Set<TopicPartition> active, TopicPartition tp) {
        active.remove(tp);
        consumer.pause(List.of(tp));
    }
}
