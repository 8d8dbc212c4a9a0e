package io.kdispatch.sdk.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskRules;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.sdk.SubmitClient;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class SubmitClientTest {

    @Test
    void submitsTasksKeyedByIdAndStampsSubmittedAt(EmbeddedKafka kafka) throws Exception {
        Cluster cluster = new Cluster(kafka);
        try (Admin admin = cluster.admin()) {
            admin.createTopics(List.of(new NewTopic(cluster.topics.tasks(), Optional.of(2), Optional.empty())))
                    .all().get();
        }
        Instant given = Instant.parse("2024-01-01T00:00:00Z");
        try (SubmitClient client = SubmitClient.builder().bootstrapServers(cluster.bootstrap)
                .serdeConfig(Cluster.SERDE).topics(cluster.topics).build();
             TopicReader<Task> tasks = new TopicReader<>(cluster.bootstrap, cluster.topics.tasks(),
                     AvroSerdes.serde(Task.class, Cluster.SERDE).deserializer())) {
            RecordMetadata metadata = client.submit(Task.newBuilder().setId("a").setType("echo").build()).get();
            assertEquals(cluster.topics.tasks(), metadata.topic());
            client.submit(Task.newBuilder().setId("b").setType("echo").setSubmittedAt(given).build());
            client.flush();
            assertRefusedWithTheSharedRule(client);
            client.submit(Task.newBuilder().setId("f").setType("echo").build()).get();
            client.flush();
            assertEquals(3, written(cluster), "the topic holds the three valid tasks and nothing else");

            List<ConsumerRecord<String, Task>> records = tasks.awaitCount(3);
            assertEquals(List.of("a", "b", "f"), records.stream().map(ConsumerRecord::key).sorted().toList(),
                    "no refused task was sent");
            for (ConsumerRecord<String, Task> record : records) {
                assertEquals(record.value().getId(), record.key());
                assertNotNull(record.value().getSubmittedAt());
            }
            assertEquals(given, records.stream().filter(r -> r.key().equals("b")).findFirst().orElseThrow()
                    .value().getSubmittedAt(), "a given submittedAt is kept");
        }
    }

    /** Tasks breaking each of the shared rules are refused with the rule's own message. */
    private static void assertRefusedWithTheSharedRule(SubmitClient client) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i <= TaskRules.MAX_LABEL_RULES; i++) {
            labels.put("k" + i, "v");
        }
        // The last two are what the dispatcher used to dead-letter after the SDK had accepted them.
        for (Task refused : List.of(Task.newBuilder().setId("").setType("echo").build(),
                Task.newBuilder().setId("c").setType(" ").build(),
                Task.newBuilder().setId("c").setType("echo").setMaxAttempts(0).build(),
                Task.newBuilder().setId("d".repeat(TaskRules.MAX_ID_LENGTH + 1)).setType("echo").build(),
                Task.newBuilder().setId("e").setType("echo").setRequiredLabels(labels).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.submit(refused));
            assertEquals(TaskRules.problem(refused), e.getMessage(), "the shared rule's message, verbatim");
        }
    }

    /** Records on the two-partition intake topic (end offsets: the topic is not transactional). */
    private static long written(Cluster cluster) throws Exception {
        try (Admin admin = cluster.admin()) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (int p = 0; p < 2; p++) {
                ends.put(new TopicPartition(cluster.topics.tasks(), p), OffsetSpec.latest());
            }
            return admin.listOffsets(ends).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset).sum();
        }
    }
}
