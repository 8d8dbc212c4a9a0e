package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.app.TopicProvisioner;
import io.kdispatch.dispatcher.config.TopicLayout;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.Topics;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Instances started at the same moment race to create the topics; the one that loses the race must still
 * return only once the broker serves every topic's partitions, because a Streams global store started
 * right after fails for good on "no partitions available" (seen in CI with two dispatcher processes).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class TopicProvisioningIT {
    private static final int ROUNDS = 5;
    private static final TopicLayout LAYOUT = new TopicLayout(4, (short) 1);

    @Test
    void bothInstancesOfARaceReturnOnlyOnceTheBrokerServesEveryTopic(EmbeddedKafka kafka) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Admin a = admin(kafka); Admin b = admin(kafka)) {
            for (int round = 0; round < ROUNDS; round++) {
                Topics topics = new Topics("race-" + round);
                CompletableFuture<List<String>> first = CompletableFuture.supplyAsync(
                        () -> ensureThenList(a, topics, kafka), pool);
                CompletableFuture<List<String>> second = CompletableFuture.supplyAsync(
                        () -> ensureThenList(b, topics, kafka), pool);
                List<String> expected = TopicProvisioner.plan(topics, LAYOUT).stream().map(NewTopic::name).toList();
                assertThat(first.get(60, TimeUnit.SECONDS)).as("round %d, first", round)
                        .containsExactlyElementsOf(expected);
                assertThat(second.get(60, TimeUnit.SECONDS)).as("round %d, second", round)
                        .containsExactlyElementsOf(expected);
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Provisions, then asks the broker at once, as a global store's consumer does: the topics it serves. */
    private static List<String> ensureThenList(Admin admin, Topics topics, EmbeddedKafka kafka) {
        new TopicProvisioner(admin).ensure(topics, LAYOUT);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<String> served = new ArrayList<>();
            for (NewTopic topic : TopicProvisioner.plan(topics, LAYOUT)) {
                if (!consumer.partitionsFor(topic.name()).isEmpty()) {
                    served.add(topic.name());
                }
            }
            return served;
        }
    }

    private static Admin admin(EmbeddedKafka kafka) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }
}
