package io.kdispatch.sdk.it;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.Worker;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One test's view of the shared broker: its own topic prefix, the shared topics the dispatcher
 * would create, and a dispatcher stand-in that writes assignments transactionally. Records are
 * serialized through the in-memory registry, or through a real one when given.
 */
final class Cluster {
    static final SerdeConfig SERDE = SerdeConfig.of("mock://worker-sdk-it");

    final String bootstrap;
    final SerdeConfig serde;
    final Topics topics = new Topics("t" + UUID.randomUUID().toString().replace("-", ""));

    Cluster(EmbeddedKafka kafka) throws ExecutionException, InterruptedException {
        this(kafka, SERDE);
    }

    /** A cluster whose records go through a real (Apicurio) registry. */
    Cluster(EmbeddedKafka kafka, EmbeddedRegistry registry) throws ExecutionException, InterruptedException {
        this(kafka, SerdeConfig.of(registry.url()));
    }

    private Cluster(EmbeddedKafka kafka, SerdeConfig serde) throws ExecutionException, InterruptedException {
        this(kafka.bootstrapServers(), serde);
        createSharedTopics();
    }

    /** A view of the cluster at {@code bootstrap} (which may not be up yet) whose shared topics do not exist yet. */
    Cluster(String bootstrap) {
        this(bootstrap, SERDE);
    }

    private Cluster(String bootstrap, SerdeConfig serde) {
        this.bootstrap = bootstrap;
        this.serde = serde;
    }

    /** Creates the shared topics, as the dispatcher does on start. */
    void createSharedTopics() throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(
                    new NewTopic(topics.heartbeats(), Optional.of(1), Optional.empty()),
                    new NewTopic(topics.results(), Optional.of(3), Optional.empty()))).all().get();
        }
    }

    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    /** A worker on this cluster with quick heartbeats; the test adds its handler and settings. */
    Worker.Builder worker(String workerId, TaskHandler handler) {
        return Worker.builder()
                .workerId(workerId)
                .bootstrapServers(bootstrap)
                .serdeConfig(serde)
                .topics(topics)
                .heartbeatInterval(Duration.ofMillis(200))
                .shutdownTimeout(Duration.ofSeconds(10))
                .handler(handler);
    }

    /** An assignment with a lease of 60 s, sent now. */
    static TaskAssignment assignment(String workerId, String taskId) {
        return assignment(workerId, taskId, Duration.ofSeconds(60));
    }

    /**
     * An assignment sent now with a lease of {@code lease}, given both ways as the dispatcher does:
     * as {@code leaseMs} (which workers judge) and as the absolute {@code leaseDeadline}.
     */
    static TaskAssignment assignment(String workerId, String taskId, Duration lease) {
        Instant now = Instant.now();
        Task task = Task.newBuilder()
                .setId(taskId)
                .setType("test")
                .setPayload(ByteBuffer.wrap(taskId.getBytes(StandardCharsets.UTF_8)))
                .setSubmittedAt(now.minusMillis(5))
                .setHeaders(Map.of("trace", "trace-" + taskId))
                .build();
        return TaskAssignment.newBuilder()
                .setTask(task)
                .setWorkerId(workerId)
                .setAttempt(1)
                .setRoutingKey(routingKey(taskId))
                .setAssignedAt(now)
                .setLeaseDeadline(now.plus(lease))
                .setLeaseMs(lease.toMillis())
                .build();
    }

    static String routingKey(String taskId) {
        return "rk-" + taskId;
    }

    /**
     * Writes assignments to the worker's topic in one transaction, as the dispatcher does,
     * creating the topic first when the worker has not yet (the broker does not auto-create).
     */
    void assign(String workerId, TaskAssignment... assignments) throws ExecutionException, InterruptedException {
        assign(workerId, null, assignments);
    }

    /**
     * Like {@link #assign(String, TaskAssignment...)}, but stamps each assignment with
     * {@code assignedAt = now} and a lease of {@code lease} just before sending, after the slow
     * producer set-up, so a short lease deadline is not already spent when the worker reads it.
     */
    void assign(String workerId, Duration lease, TaskAssignment... assignments)
            throws ExecutionException, InterruptedException {
        createWorkerTopic(workerId);
        Serde<TaskAssignment> assignmentSerde = AvroSerdes.serde(TaskAssignment.class, serde);
        try (KafkaProducer<String, TaskAssignment> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "test-dispatcher-" + UUID.randomUUID()),
                new StringSerializer(), assignmentSerde.serializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (TaskAssignment a : assignments) {
                if (lease != null) {
                    Instant now = Instant.now();
                    a.setAssignedAt(now);
                    a.setLeaseDeadline(now.plus(lease));
                    a.setLeaseMs(lease.toMillis());
                }
                producer.send(new ProducerRecord<>(topics.workerTopic(workerId), a.getTask().getId(), a));
            }
            producer.commitTransaction();
        } finally {
            assignmentSerde.close();
        }
    }

    private void createWorkerTopic(String workerId) throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topics.workerTopic(workerId), Optional.of(1), Optional.empty())))
                    .all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** Writes raw bytes to a worker topic (no transaction), e.g. garbage. */
    void writeRaw(String workerId, String key, byte[] value) throws ExecutionException, InterruptedException {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topics.workerTopic(workerId), key, value)).get();
        }
    }

    TopicReader<TaskResult> results() {
        return new TopicReader<>(bootstrap, topics.results(),
                AvroSerdes.serde(TaskResult.class, serde).deserializer());
    }

    /** What the dispatcher stand-in wrote to a worker's topic (which must exist). */
    TopicReader<TaskAssignment> assignments(String workerId) {
        return new TopicReader<>(bootstrap, topics.workerTopic(workerId),
                AvroSerdes.serde(TaskAssignment.class, serde).deserializer());
    }

    TopicReader<WorkerHeartbeat> heartbeats() {
        return new TopicReader<>(bootstrap, topics.heartbeats(),
                AvroSerdes.serde(WorkerHeartbeat.class, serde).deserializer());
    }

    /** The committed offset of partition 0 of a worker's topic, or -1. */
    long committed(String workerId) throws ExecutionException, InterruptedException {
        try (Admin admin = admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin
                    .listConsumerGroupOffsets("kdispatch-worker-" + workerId).partitionsToOffsetAndMetadata().get();
            OffsetAndMetadata offset = offsets.get(new TopicPartition(topics.workerTopic(workerId), 0));
            return offset == null ? -1 : offset.offset();
        }
    }
}
