package io.kdispatch.benchmarks.e2e;

import io.kdispatch.dispatcher.app.TopicProvisioner;
import io.kdispatch.dispatcher.config.TopicLayout;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The broker and registry every phase of a run shares: a real single-node KRaft broker in this JVM and
 * a real Apicurio registry as a child process, as in the product's demo. Each phase gets its own topic
 * prefix, so phases never see each other's records, yet all run on the same broker.
 */
final class BenchCluster implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final Admin admin;
    private final int partitions;

    private BenchCluster(EmbeddedKafka kafka, EmbeddedRegistry registry, int partitions) {
        this.kafka = kafka;
        this.registry = registry;
        this.partitions = partitions;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
    }

    static BenchCluster start(int partitions) {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        try {
            return new BenchCluster(kafka, EmbeddedRegistry.start(), partitions);
        } catch (RuntimeException e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrap() {
        return kafka.bootstrapServers();
    }

    String registryUrl() {
        return registry.url();
    }

    SerdeConfig serdes() {
        return SerdeConfig.of(registry.url());
    }

    int partitions() {
        return partitions;
    }

    /** Creates the dispatcher's topics for {@code topics}, with the layout the dispatcher itself would use. */
    void createDispatcherTopics(Topics topics) {
        create(TopicProvisioner.plan(topics, new TopicLayout(partitions, (short) -1)));
    }

    /** Creates plain topics of {@code partitionsEach} partitions. */
    void createTopics(Collection<String> names, int partitionsEach) {
        create(names.stream().map(n -> new NewTopic(n, Optional.of(partitionsEach), Optional.empty())).toList());
    }

    /** Creates {@code topics} and waits until every partition has a leader, so the first sends don't bounce. */
    private void create(List<NewTopic> topics) {
        List<String> names = topics.stream().map(NewTopic::name).toList();
        try {
            admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!allLed(names)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + names + " have partitions without a leader after 60 s");
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot create topics " + topics.stream().map(NewTopic::name).toList(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted creating topics", e);
        }
    }

    /** False while some partition has no leader, or the broker does not know a just-created topic yet. */
    private boolean allLed(List<String> names) throws ExecutionException, InterruptedException, TimeoutException {
        Map<String, TopicDescription> topics;
        try {
            topics = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return false; // created on the controller, not yet in this broker's metadata
            }
            throw e;
        }
        return topics.values().stream().allMatch(t -> t.partitions().stream().allMatch(p -> p.leader() != null));
    }

    /**
     * Writes {@code corpus} to {@code topic} as raw bytes, {@code times} over, and waits until every record
     * is acknowledged.
     *
     * @throws IllegalStateException when any record could not be written: a phase never runs on a
     *     partial intake
     */
    void preload(String topic, TaskCorpus corpus, int times) {
        AtomicLong failed = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        try (Producer<byte[], byte[]> producer = rawProducer()) {
            for (int round = 0; round < times; round++) {
                for (int i = 0; i < corpus.size(); i++) {
                    producer.send(new ProducerRecord<>(topic, corpus.key(i), corpus.value(i)), (metadata, error) -> {
                        if (error != null) {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                    });
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " of " + (long) corpus.size() * times + " tasks could not be preloaded to "
                    + topic, firstError.get());
        }
    }

    /**
     * A producer of raw bytes, acknowledged by all replicas, batching as a bulk loader would. Not
     * idempotent, with one request in flight per connection: right after a topic is created the broker
     * may answer NOT_LEADER for a moment, and an idempotent producer's retries then sometimes end in an
     * OutOfOrderSequenceException loop (seen here with Kafka 4.3.1); a plain retry keeps the order and the
     * rare duplicate a timeout could cause does not change a rate.
     */
    Producer<byte[], byte[]> rawProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1,
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Override
    public void close() {
        admin.close();
        registry.close();
        kafka.close();
    }
}
