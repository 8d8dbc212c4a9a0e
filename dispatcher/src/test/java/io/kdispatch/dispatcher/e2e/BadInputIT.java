package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.Dispatcher;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.MicrometerDispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad input of every kind reaches the dead-letter topic (or a logged, counted rejection for
 * heartbeats) on a real broker under exactly-once, and the dispatcher keeps running.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class BadInputIT {

    @Test
    void malformedBytesUnknownSchemaIdsAndInvalidHeartbeatsNeverStopTheDispatcher(EmbeddedKafka kafka,
                                                                                 EmbeddedRegistry registry)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            Dispatcher dispatcher = stack.dispatcher(new MicrometerDispatchMetrics(meters));
            stack.worker("w1", 4, ctx -> ctx.payload());
            OutcomeTracker outcomes = stack.outcomes();

            try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                    new StringSerializer(), new ByteArraySerializer())) {
                raw.send(new ProducerRecord<>(stack.topics.tasks(), "not-avro",
                        "{\"id\":\"not-avro\"}".getBytes(StandardCharsets.UTF_8))).get();
                raw.send(new ProducerRecord<>(stack.topics.tasks(), "unknown-schema",
                        new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4})).get();
                raw.send(new ProducerRecord<>(stack.topics.heartbeats(), "garbage", new byte[] {9, 9, 9})).get();
                byte[] badId = AvroSerdes.serde(WorkerHeartbeat.class, stack.serdes).serializer()
                        .serialize(stack.topics.heartbeats(), WorkerHeartbeat.newBuilder().setWorkerId("bad/../id")
                                .setIncarnation(1).setStatus(WorkerStatus.READY).setCapacity(1)
                                .setSentAt(Instant.now()).build());
                raw.send(new ProducerRecord<>(stack.topics.heartbeats(), "bad/../id", badId)).get();
            }
            Set<String> good = EndToEndContract.submit(stack.submitter(), 10, 10);

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(good)
                    && outcomes.deadLettered().containsAll(Set.of("not-avro", "unknown-schema")));
            assertThat(outcomes.completed()).isEqualTo(10);
            List<DeadLetter> letters = readDeadLetters(stack, 2);
            assertThat(letters).extracting(DeadLetter::getReason)
                    .containsExactlyInAnyOrder(DeadLetterReason.MALFORMED, DeadLetterReason.UNKNOWN_SCHEMA);
            assertThat(letters).allSatisfy(d -> {
                assertThat(d.getOriginalValue()).isNotNull();
                assertThat(d.getSourceTopic()).isEqualTo(stack.topics.tasks());
                assertThat(d.getDetail()).isNotBlank();
            });
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    meters.find(MicrometerDispatchMetrics.REJECTED_HEARTBEATS).counter() != null
                            && meters.find(MicrometerDispatchMetrics.REJECTED_HEARTBEATS).counter().count() == 2);
            assertThat(dispatcher.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    /**
     * The corpus classes on a real broker under exactly-once: absurd values, hostile IDs, a live task ID with
     * other content, results for unknown tasks and workers, an absurd heartbeat. Each ends in its dead letter
     * or counted rejection, the live duplicate runs with its own content, and the dispatcher stays RUNNING.
     */
    @Test
    void absurdValuesHostileIdsDuplicatesAndUnknownResultsNeverStopTheDispatcher(EmbeddedKafka kafka,
                                                                                EmbeddedRegistry registry)
            throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<byte[]> ranWith = new AtomicReference<>();
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            Dispatcher dispatcher = stack.dispatcher(new MicrometerDispatchMetrics(meters));
            stack.worker("w1", 4, ctx -> {
                if (ctx.taskId().equals("dup-1")) { // held until its conflicting duplicate is dead-lettered
                    ranWith.set(ctx.payload());
                    release.await(60, TimeUnit.SECONDS);
                }
                return ctx.payload();
            });
            OutcomeTracker outcomes = stack.outcomes();
            Set<String> invalid = Set.of("abs-priority", "abs-payload", "abs-labels", "abs-attempts", "host\nline",
                    "x".repeat(10_240), "dup-1");
            try (KafkaProducer<String, byte[]> raw = rawProducer(kafka)) {
                send(raw, stack, stack.topics.tasks(), "abs-priority", task("abs-priority").setPriority(Integer.MIN_VALUE));
                send(raw, stack, stack.topics.tasks(), "abs-payload",
                        task("abs-payload").setPayload(ByteBuffer.wrap(new byte[600 * 1024])));
                send(raw, stack, stack.topics.tasks(), "abs-labels", task("abs-labels").setPreferredLabels(labels(20_000)));
                send(raw, stack, stack.topics.tasks(), "abs-attempts", task("abs-attempts").setMaxAttempts(0));
                send(raw, stack, stack.topics.tasks(), "host\nline", task("host\nline"));
                send(raw, stack, stack.topics.tasks(), "x".repeat(10_240), task("x".repeat(10_240)));
                send(raw, stack, stack.topics.tasks(), "dup-1", task("dup-1"));
                send(raw, stack, stack.topics.tasks(), "dup-1", task("dup-1").setPayload(ByteBuffer.wrap(new byte[] {9})));
                send(raw, stack, stack.topics.results(), "never-sent", result("never-sent", "w1"));
                send(raw, stack, stack.topics.results(), "ghost", result("ghost", "../w\n"));
                send(raw, stack, stack.topics.heartbeats(), "w-absurd", WorkerHeartbeat.newBuilder()
                        .setWorkerId("w-absurd").setIncarnation(1).setStatus(WorkerStatus.READY).setCapacity(1_000_000)
                        .setLabels(labels(100)).setSentAt(Instant.now()).build());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.deadLettered().containsAll(invalid));
            release.countDown();
            Set<String> good = EndToEndContract.submit(stack.submitter(), 10, 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(good)
                    && outcomes.completedBy().containsKey("dup-1"));
            assertThat(ranWith.get()).containsExactly(1); // the first dup-1, not the refused one
            List<DeadLetter> letters = readDeadLetters(stack, invalid.size());
            assertThat(letters).extracting(DeadLetter::getReason).containsOnly(DeadLetterReason.INVALID_TASK);
            assertThat(letters).filteredOn(d -> d.getTaskId().equals("dup-1")).singleElement()
                    .satisfies(d -> assertThat(d.getDetail()).contains("is live with different content (payload"));
            assertThat(counter(meters, MicrometerDispatchMetrics.DEAD_LETTERED)).isEqualTo(invalid.size());
            await().atMost(Duration.ofSeconds(10)).until(() ->
                    counter(meters, MicrometerDispatchMetrics.STALE_RESULTS) == 2
                            && counter(meters, MicrometerDispatchMetrics.REJECTED_HEARTBEATS) == 1);
            assertThat(dispatcher.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
    }

    private static KafkaProducer<String, byte[]> rawProducer(EmbeddedKafka kafka) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer());
    }

    /** Writes {@code value} as a producer that bypasses the submit client's checks would. */
    @SuppressWarnings("unchecked")
    private static <T extends SpecificRecord> void send(KafkaProducer<String, byte[]> raw, Stack stack, String topic,
                                                        String key, Object value) throws Exception {
        T record = (T) (value instanceof Task.Builder b ? b.build() : value);
        byte[] bytes = AvroSerdes.serde((Class<T>) record.getClass(), stack.serdes).serializer().serialize(topic, record);
        raw.send(new ProducerRecord<>(topic, key, bytes)).get();
    }

    private static Task.Builder task(String id) {
        return Task.newBuilder().setId(id).setType("e2e").setPayload(ByteBuffer.wrap(new byte[] {1}));
    }

    private static TaskResult result(String taskId, String workerId) {
        return TaskResult.newBuilder().setTaskId(taskId).setWorkerId(workerId).setAttempt(1)
                .setStatus(ResultStatus.SUCCEEDED).setStartedAt(Instant.now()).setCompletedAt(Instant.now())
                .setDurationMs(1).build();
    }

    private static Map<String, String> labels(int n) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < n; i++) {
            labels.put("label-" + i, "v");
        }
        return labels;
    }

    private static double counter(SimpleMeterRegistry meters, String name) {
        return meters.find(name).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private static List<DeadLetter> readDeadLetters(Stack stack, int expected) {
        var deserializer = AvroSerdes.serde(DeadLetter.class, stack.serdes).deserializer();
        List<DeadLetter> letters = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(stack.topics.deadLetters()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r ->
                        letters.add(deserializer.deserialize(r.topic(), r.value())));
                return letters.size() >= expected;
            });
        }
        return letters;
    }
}
