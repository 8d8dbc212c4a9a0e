package io.kdispatch.embedded;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Three nodes in JVMs of their own: one killed (SIGKILL) and started again, writes with acks=all go on. */
class EmbeddedKafkaClusterTest {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void aKilledNodeComesBackAndCatchesUpWhileAcksAllWritesGoOn() throws Exception {
        try (EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(3, Map.of());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
             KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                     ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
            assertEquals(3, cluster.bootstrapServers().split(",").length);
            admin.createTopics(List.of(new NewTopic("replicated", 3, (short) -1))).all()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            await("the topic in every node's metadata").atMost(DEADLINE).ignoreExceptions().until(() -> {
                TopicDescription topic = admin.describeTopics(List.of("replicated")).allTopicNames()
                        .get(DEADLINE.toSeconds(), TimeUnit.SECONDS).get("replicated");
                return topic.partitions().stream().allMatch(p -> p.replicas().size() == 3 && p.isr().size() == 3);
            });

            cluster.kill(2);
            assertFalse(cluster.isRunning(2));
            for (int i = 0; i < 30; i++) { // min.insync.replicas 2 of 3: one node down stops nothing
                producer.send(new ProducerRecord<>("replicated", "k" + i, "v" + i)).get(DEADLINE.toSeconds(),
                        TimeUnit.SECONDS);
            }

            cluster.start(2);
            assertTrue(cluster.isRunning(2));
            cluster.awaitFullyReplicated(DEADLINE);
        }
    }
}
