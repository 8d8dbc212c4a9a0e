package io.kdispatch.dispatcher.e2e;

import static org.awaitility.Awaitility.await;

import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what the dispatcher wrote to the worker topics, from the outside, as workers see it (read_committed). */
final class WorkerTopics {
    private WorkerTopics() {
    }

    /**
     * Every assignment on the stack's worker topics, each topic in offset order (topics one after the
     * other), once {@code expected} have been read.
     */
    static List<TaskAssignment> readAll(Stack stack, int expected) {
        return readAll(stack, expected, a -> true);
    }

    /** The assignments {@code keep} accepts, in the same order, once {@code expected} of them have been read. */
    static List<TaskAssignment> readAll(Stack stack, int expected, Predicate<TaskAssignment> keep) {
        List<TaskAssignment> all = new ArrayList<>();
        try (Deserializer<TaskAssignment> values = AvroSerdes.serde(TaskAssignment.class, stack.serdes).deserializer();
             KafkaConsumer<String, TaskAssignment> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers,
                     ConsumerConfig.GROUP_ID_CONFIG, "inspect-" + UUID.randomUUID(),
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                     new StringDeserializer(), values)) {
            consumer.subscribe(Pattern.compile(Pattern.quote(stack.topics.workerTopicPrefix()) + ".*"));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, TaskAssignment> r : consumer.poll(Duration.ofMillis(200))) {
                    if (keep.test(r.value())) {
                        all.add(r.value());
                    }
                }
                return all.size() >= expected;
            });
        }
        return all;
    }
}
