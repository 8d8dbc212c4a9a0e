package io.kdispatch.embedded;

import static io.kdispatch.embedded.KafkaTestClients.DEADLINE;
import static io.kdispatch.embedded.KafkaTestClients.createTopic;
import static io.kdispatch.embedded.KafkaTestClients.pollValues;
import static io.kdispatch.embedded.KafkaTestClients.readCommittedConsumer;
import static io.kdispatch.embedded.KafkaTestClients.uniqueName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaTest {

    @Test
    void bootstrapServersPointAtLoopback(EmbeddedKafka kafka) {
        assertTrue(kafka.bootstrapServers().matches("127\\.0\\.0\\.1:\\d+"), kafka.bootstrapServers());
    }

    @Test
    void createdTopicIsListed(EmbeddedKafka kafka) throws Exception {
        String topic = uniqueName("created");
        try (Admin admin = KafkaTestClients.admin(kafka)) {
            createTopic(admin, topic);

            assertTrue(admin.listTopics().names().get(DEADLINE.toSeconds(), TimeUnit.SECONDS).contains(topic));
        }
    }

    @Test
    void topicsAreNotCreatedOnFirstWrite(EmbeddedKafka kafka) throws Exception {
        String topic = uniqueName("never-created");
        try (KafkaProducer<String, String> producer =
                     KafkaTestClients.producer(kafka, Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 1_000));
             Admin admin = KafkaTestClients.admin(kafka)) {
            ExecutionException failure = assertThrows(ExecutionException.class,
                    () -> producer.send(new ProducerRecord<>(topic, "k", "v")).get());

            assertInstanceOf(TimeoutException.class, failure.getCause());
            assertFalse(admin.listTopics().names().get(DEADLINE.toSeconds(), TimeUnit.SECONDS).contains(topic));
        }
    }

    @Test
    void recordWrittenWithAcksAllIsReadCommitted(EmbeddedKafka kafka) throws Exception {
        String topic = uniqueName("acks-all");
        try (Admin admin = KafkaTestClients.admin(kafka)) {
            createTopic(admin, topic);
        }
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka, Map.of());
             KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka)) {
            RecordMetadata written = producer.send(new ProducerRecord<>(topic, "key", "hello")).get();
            consumer.subscribe(List.of(topic));

            assertEquals(0, written.offset());
            assertEquals(List.of("hello"), pollValues(consumer, 1));
        }
    }

    @Test
    void readCommittedConsumerSeesCommittedTransactionsOnly(EmbeddedKafka kafka) throws Exception {
        String topic = uniqueName("transactions");
        try (Admin admin = KafkaTestClients.admin(kafka)) {
            createTopic(admin, topic);
        }
        Map<String, Object> transactional = Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, uniqueName("tx"));
        try (KafkaProducer<String, String> producer = KafkaTestClients.producer(kafka, transactional);
             KafkaConsumer<String, String> consumer = readCommittedConsumer(kafka)) {
            producer.initTransactions();
            sendInTransaction(producer, topic, "first", true);
            sendInTransaction(producer, topic, "aborted", false);
            sendInTransaction(producer, topic, "second", true);
            consumer.subscribe(List.of(topic));

            assertEquals(List.of("first", "second"), pollValues(consumer, 2));
        }
    }

    private static void sendInTransaction(KafkaProducer<String, String> producer, String topic, String value,
                                          boolean commit) throws Exception {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, value, value)).get();
        if (commit) {
            producer.commitTransaction();
        } else {
            producer.abortTransaction();
        }
    }
}
