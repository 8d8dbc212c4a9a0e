package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every kind of bad input raises the exception the dispatcher classifies, with a message that says what is wrong. */
class MalformedInputTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final RegistryAvroSerde<Task> serde = new RegistryAvroSerde<>(Task.class, registry, false, true);
    private final Deserializer<Task> deserializer = serde.deserializer();

    @AfterEach
    void close() {
        serde.close();
    }

    @Test
    void emptyRecord() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", new byte[0]));
        assertMessage(e, "record of 0 bytes from topic 'dispatch.tasks' is too short for the Confluent wire format");
    }

    @Test
    void threeBytes() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", new byte[] {0, 0, 1}));
        assertMessage(e, "record of 3 bytes from topic 'dispatch.tasks' is too short");
    }

    @Test
    void plainJsonHasTheWrongMagicByte() {
        byte[] json = "{\"id\":\"task-1\",\"type\":\"x\"}".getBytes(StandardCharsets.UTF_8);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", json));
        assertMessage(e, "unknown magic byte 0x7b: not Confluent wire format (is this plain JSON?); record of 26 bytes"
                + " from topic 'dispatch.tasks'");
    }

    @Test
    void plainTextHasTheWrongMagicByte() {
        byte[] text = "hello world".getBytes(StandardCharsets.UTF_8);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", text));
        assertMessage(e, "unknown magic byte 0x68");
        assertMessage(e, "looks like text: \"hello world\"");
    }

    @Test
    void binaryWithWrongMagicByte() {
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", new byte[] {1, 0, 0, 0, 1, 2, 3}));
        assertMessage(e, "unknown magic byte 0x01");
    }

    @Test
    void schemaIdNotRegistered() {
        UnknownSchemaException e = assertThrows(UnknownSchemaException.class,
                () -> deserializer.deserialize("dispatch.tasks", new byte[] {0, 0, 0, 0x30, 0x39, 2, 'a'}));
        assertEquals(12345, e.schemaId());
        assertMessage(e, "schema id 12345 in a record from topic 'dispatch.tasks' is not in the registry");
    }

    @Test
    void garbageAfterTheHeader() {
        byte[] bytes = header(registry.register("dispatch.tasks-value", Task.getClassSchema()),
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f, 1, 2});
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", bytes));
        assertMessage(e, "could not decode the Avro body of a record of 12 bytes from topic 'dispatch.tasks'");
        assertMessage(e, "io.kdispatch.schemas.Task");
    }

    /**
     * A bytes length, an array count or a map count of a billion behind a valid header: Avro allocated that
     * much before reading (an OutOfMemoryError in a 512 MB heap); now it is a malformed record at once.
     */
    @Test
    void aLengthPrefixLargerThanTheRecordIsMalformedBeforeAnythingIsAllocated() {
        int id = registry.register("dispatch.tasks-value", Task.getClassSchema());
        byte[] idAndType = {2, 'a', 2, 'b'};
        byte[] huge = varint(2_000_000_000L); // zig-zag of 10^9
        byte[][] bodies = {
                concat(idAndType, huge),                                   // payload: bytes length
                concat(idAndType, new byte[] {0, 0}, huge),                // requiredLabels: map count
                concat(idAndType, new byte[] {0, 0, 0}, huge),             // labelRequirements: array count
                concat(new byte[] {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f})}; // id: string length
        for (byte[] body : bodies) {
            MalformedRecordException e = assertThrows(MalformedRecordException.class,
                    () -> deserializer.deserialize("dispatch.tasks", header(id, body)));
            assertMessage(e, "a corrupt length prefix");
        }
    }

    @Test
    void everyPrefixOfAValidRecordIsMalformed() {
        byte[] valid = serde.serializer().serialize("dispatch.tasks", Samples.task());
        for (int n = 0; n < valid.length; n++) {
            byte[] prefix = Arrays.copyOf(valid, n);
            assertThrows(MalformedRecordException.class, () -> deserializer.deserialize("dispatch.tasks", prefix),
                    "prefix of " + n + " bytes");
        }
        assertEquals(Samples.task(), deserializer.deserialize("dispatch.tasks", valid));
    }

    private static byte[] varint(long v) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void headerWithoutBody() {
        byte[] bytes = header(registry.register("dispatch.tasks-value", Task.getClassSchema()), new byte[0]);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", bytes));
        assertMessage(e, "could not decode the Avro body");
    }

    @Test
    void bytesLeftOverAfterAValidRecord() {
        byte[] valid = serde.serializer().serialize("dispatch.tasks", Samples.task());
        byte[] longer = Arrays.copyOf(valid, valid.length + 3);
        MalformedRecordException e = assertThrows(MalformedRecordException.class,
                () -> deserializer.deserialize("dispatch.tasks", longer));
        assertMessage(e, "bytes left over after the record ended");
    }

    @Test
    void writerSchemaOfAnotherTypeIsUnknownForTheTarget() {
        byte[] result;
        try (RegistryAvroSerde<TaskResult> other = new RegistryAvroSerde<>(TaskResult.class, registry, false, true)) {
            result = other.serializer().serialize("dispatch.tasks", Samples.result());
        }
        UnknownSchemaException e = assertThrows(UnknownSchemaException.class,
                () -> deserializer.deserialize("dispatch.tasks", result));
        assertMessage(e, "(io.kdispatch.schemas.TaskResult) in a record from topic 'dispatch.tasks'"
                + " cannot be read as io.kdispatch.schemas.Task");
        assertMessage(e, "NAME_MISMATCH at /name (expected: io.kdispatch.schemas.TaskResult)");
    }

    @Test
    void aValidRecordStillReadsAfterBadOnes() {
        assertThrows(MalformedRecordException.class, () -> deserializer.deserialize("t", new byte[] {9}));
        byte[] valid = serde.serializer().serialize("t", Samples.task());
        assertEquals(Samples.task(), deserializer.deserialize("t", valid));
    }

    private static byte[] header(int id, byte[] body) {
        return ByteBuffer.allocate(5 + body.length).put((byte) 0).putInt(id).put(body).array();
    }

    private static void assertMessage(Exception e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
