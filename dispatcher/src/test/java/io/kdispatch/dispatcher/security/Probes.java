package io.kdispatch.dispatcher.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/**
 * Real clients authenticated as one principal, each doing one thing, so that a test can say exactly which
 * operation is allowed and which is refused with which exception. Every client is closed before the
 * probe returns.
 */
final class Probes {
    static final Duration DEADLINE = Duration.ofSeconds(30);

    private final SecuredCluster cluster;
    private final String user;

    Probes(SecuredCluster cluster, String user) {
        this.cluster = cluster;
        this.user = user;
    }

    /** Subscribes with {@code group} and returns the first record's value. */
    String readOne(String topic, String group) {
        try (KafkaConsumer<String, String> consumer = consumer(group)) {
            consumer.subscribe(List.of(topic));
            return firstValue(consumer);
        }
    }

    /** Reads partition 0 of {@code topic} without a group (as the lag monitor and replay do). */
    String readOneAssigned(String topic) {
        try (KafkaConsumer<String, String> consumer = consumer(null)) {
            consumer.assign(List.of(new TopicPartition(topic, 0)));
            return firstValue(consumer);
        }
    }

    /** Sends one record with an idempotent producer (as the SDK's) and waits for the acknowledgement. */
    void write(String topic) throws Exception {
        try (KafkaProducer<String, String> producer = producer(Map.of())) {
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Commits one record to {@code topic} in a transaction under {@code transactionalId}. */
    void writeInTransaction(String transactionalId, String topic) throws Exception {
        try (KafkaProducer<String, String> producer =
                     producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "v")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            producer.commitTransaction();
        }
    }

    /**
     * One exactly-once cycle, as a Kafka Streams task runs it: reads a record of {@code from} with
     * {@code group}, writes one to {@code to} and commits both the write and the group's offset in one
     * transaction under {@code transactionalId}.
     */
    void consumeAndProduceInTransaction(String transactionalId, String group, String from, String to)
            throws Exception {
        try (KafkaConsumer<String, String> consumer = consumer(group);
             KafkaProducer<String, String> producer =
                     producer(Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId))) {
            consumer.subscribe(List.of(from));
            firstValue(consumer);
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(to, "k", "v")).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            consumer.assignment().forEach(tp -> offsets.put(tp, new OffsetAndMetadata(consumer.position(tp))));
            producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
            producer.commitTransaction();
        }
    }

    /** The committed offsets of {@code group}, through the Admin API (as the lag monitor reads them). */
    Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) throws Exception {
        try (Admin admin = cluster.admin(user)) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Creates a topic with one partition. */
    void create(String topic) throws Exception {
        try (Admin admin = cluster.admin(user)) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all()
                    .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Describes a topic. */
    void describe(String topic) throws Exception {
        try (Admin admin = cluster.admin(user)) {
            admin.describeTopics(List.of(topic)).allTopicNames().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Asserts that {@code call} fails with exactly {@code type}, directly or as the cause of a future's failure. */
    static void refused(Class<? extends Throwable> type, ThrowingCallable call) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected %s", type.getSimpleName()).isNotNull();
        Throwable cause = thrown instanceof ExecutionException && thrown.getCause() != null
                ? thrown.getCause() : thrown;
        assertThat(cause).isExactlyInstanceOf(type);
    }

    private String firstValue(KafkaConsumer<String, String> consumer) {
        List<String> values = new ArrayList<>();
        // An authorization failure surfaces from poll, which fails the wait at once.
        await().atMost(DEADLINE).pollInSameThread().pollInterval(Duration.ofMillis(10)).until(() -> {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                values.add(r.value());
            }
            return !values.isEmpty();
        });
        return values.get(0);
    }

    private KafkaConsumer<String, String> consumer(String group) {
        Map<String, Object> props = new HashMap<>(base());
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
    }

    private KafkaProducer<String, String> producer(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(base());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) DEADLINE.toMillis());
        props.putAll(extra);
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    private Map<String, Object> base() {
        Map<String, Object> props = new HashMap<>(cluster.clientProperties(user));
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        return props;
    }
}
