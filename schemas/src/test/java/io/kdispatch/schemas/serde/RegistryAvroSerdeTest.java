package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RegistryAvroSerdeTest {
    private final String scope = "serde-test-" + UUID.randomUUID();
    private final SerdeConfig config = SerdeConfig.of("mock://" + scope);

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    static Stream<SpecificRecord> records() {
        return Stream.of(Samples.task(), Samples.assignment(), Samples.result(), Samples.heartbeat(),
                Samples.deadLetter());
    }

    @ParameterizedTest
    @MethodSource("records")
    void roundTripsEveryRecordType(SpecificRecord record) {
        assertEquals(record, roundTrip(record, "topic-" + record.getSchema().getName()));
    }

    @SuppressWarnings("unchecked")
    private <T extends SpecificRecord> T roundTrip(T record, String topic) {
        try (Serde<T> serde = AvroSerdes.serde((Class<T>) record.getClass(), config)) {
            byte[] bytes = serde.serializer().serialize(topic, record);
            return serde.deserializer().deserialize(topic, bytes);
        }
    }

    @Test
    void writesMagicByteBigEndianIdAndPlainAvroBody() throws Exception {
        Task task = Samples.task();
        byte[] bytes;
        try (Serde<Task> serde = AvroSerdes.serde(Task.class, config)) {
            bytes = serde.serializer().serialize("dispatch.tasks", task);
        }
        int id = InMemorySchemaRegistryClient.forScope(scope).lookup("dispatch.tasks-value", Task.getClassSchema());
        assertEquals(0, bytes[0], "magic byte");
        assertEquals(id, ByteBuffer.wrap(bytes, 1, 4).getInt(), "schema ID, big-endian");
        assertArrayEquals(new byte[] {0, 0, 0, 0, (byte) id}, Arrays.copyOf(bytes, 5));
        assertArrayEquals(avroBody(task), Arrays.copyOfRange(bytes, 5, bytes.length), "body is plain Avro binary");
    }

    private static byte[] avroBody(Task task) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<>(Task.class).write(task, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    @Test
    void usesTopicNameStrategyForKeysAndValues() {
        try (Serde<Task> values = AvroSerdes.serde(Task.class, config);
             Serde<Task> keys = AvroSerdes.keySerde(Task.class, config)) {
            values.serializer().serialize("orders", Samples.task());
            keys.serializer().serialize("orders", Samples.task());
        }
        assertEquals(List.of("orders-key", "orders-value"),
                InMemorySchemaRegistryClient.forScope(scope).subjects().stream().sorted().toList());
    }

    @Test
    void nullIsATombstoneBothWays() {
        try (Serde<Task> serde = AvroSerdes.serde(Task.class, config)) {
            assertNull(serde.serializer().serialize("t", null));
            assertNull(serde.deserializer().deserialize("t", null));
        }
    }

    @Test
    void worksThroughKafkasConfigurePath() {
        Map<String, Object> props = Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope, "unrelated.key", 1);
        try (RegistryAvroSerde<TaskResult> serde = new RegistryAvroSerde<>(TaskResult.class)) {
            serde.configure(props, false);
            byte[] bytes = serde.serializer().serialize("results", Samples.result());
            assertEquals(Samples.result(), serde.deserializer().deserialize("results", bytes));
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> serde.configure(props, false));
            assertTrue(twice.getMessage().contains("configure(...) may be called once"), twice.getMessage());
        }
    }

    @Test
    void serializerAndDeserializerWorkAsKafkaClassConfig() {
        Map<String, Object> props = Map.of(SerdeConfig.REGISTRY_URL, "mock://" + scope);
        try (RegistryAvroSerializer<WorkerHeartbeat> serializer = new RegistryAvroSerializer<>();
             RegistryAvroDeserializer<WorkerHeartbeat> deserializer = new RegistryAvroDeserializer<>()) {
            serializer.configure(props, false);
            deserializer.configure(props, false);
            byte[] bytes = serializer.serialize("heartbeats", Samples.heartbeat());
            assertEquals(Samples.heartbeat(), deserializer.deserialize("heartbeats", bytes),
                    "without a target class the writer schema's class is used");
        }
    }

    @Test
    void unconfiguredOrClosedSerdeSaysSo() {
        RegistryAvroSerde<Task> serde = new RegistryAvroSerde<>(Task.class);
        IllegalStateException unconfigured = assertThrows(IllegalStateException.class,
                () -> serde.serializer().serialize("t", Samples.task()));
        assertTrue(unconfigured.getMessage().contains("not configured"), unconfigured.getMessage());
        serde.close();
        serde.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 0, 1, 2}));
        assertTrue(closed.getMessage().contains("closed"), closed.getMessage());
    }

    @Test
    void withoutAutoRegisterAnUnregisteredSchemaFailsWithTheSubject() {
        SerdeConfig lookupOnly = new SerdeConfig("mock://" + scope, null, null, false, null, null);
        try (Serde<DeadLetter> serde = AvroSerdes.serde(DeadLetter.class, lookupOnly)) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> serde.serializer().serialize("dlq", Samples.deadLetter()));
            assertEquals(404, e.httpStatus());
            assertTrue(e.getMessage().contains("dlq-value"), e.getMessage());
        }
        InMemorySchemaRegistryClient.forScope(scope).register("dlq-value", DeadLetter.getClassSchema());
        assertEquals(Samples.deadLetter(), roundTrip(Samples.deadLetter(), "dlq"));
    }

    @Test
    void sameSchemaGetsOneIdAcrossSerdesOfAScope() {
        byte[] first;
        byte[] second;
        try (Serde<TaskAssignment> a = AvroSerdes.serde(TaskAssignment.class, config);
             Serde<TaskAssignment> b = AvroSerdes.serde(TaskAssignment.class, config)) {
            first = a.serializer().serialize("w1", Samples.assignment());
            second = b.serializer().serialize("w2", Samples.assignment());
            assertEquals(Samples.assignment(), b.deserializer().deserialize("w1", first));
        }
        assertArrayEquals(first, second);
    }

    @Test
    void droppingAScopeStartsAFreshRegistry() {
        InMemorySchemaRegistryClient before = InMemorySchemaRegistryClient.forScope(scope);
        before.register("s", Task.getClassSchema());
        InMemorySchemaRegistryClient.dropScope(scope);
        InMemorySchemaRegistryClient after = InMemorySchemaRegistryClient.forScope(scope);
        assertTrue(after.subjects().isEmpty());
        assertSame(after, InMemorySchemaRegistryClient.forScope(scope));
    }
}
