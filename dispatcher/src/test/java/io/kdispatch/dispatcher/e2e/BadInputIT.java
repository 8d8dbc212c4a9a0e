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
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
                            && meters.find(MicrometerDispatchMetrics.REJECTED_HEARTBEATS).counter().count() == 1);
            assertThat(dispatcher.state()).isEqualTo(KafkaStreams.State.RUNNING);
        }
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
