package io.kdispatch.sdk.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.sdk.SubmitClient;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
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
            assertThrows(IllegalArgumentException.class,
                    () -> client.submit(Task.newBuilder().setId("c").setType("echo").setMaxAttempts(0).build()));

            List<ConsumerRecord<String, Task>> records = tasks.awaitCount(2);
            assertEquals(2, records.size(), "the invalid task was not sent");
            for (ConsumerRecord<String, Task> record : records) {
                assertEquals(record.value().getId(), record.key());
                assertNotNull(record.value().getSubmittedAt());
            }
            assertEquals(given, records.stream().filter(r -> r.key().equals("b")).findFirst().orElseThrow()
                    .value().getSubmittedAt(), "a given submittedAt is kept");
        }
    }
}
