package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kdispatch.schemas.Task;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Records written with an older or newer compatible schema are read through Avro schema resolution. */
class SchemaEvolutionTest {
    private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    private final RegistryAvroSerde<Task> serde = new RegistryAvroSerde<>(Task.class, registry, false, true);

    @AfterEach
    void close() {
        serde.close();
    }

    @Test
    void olderWriterWithoutDefaultedFieldsIsReadWithDefaults() throws IOException {
        Schema old = withoutFields(Task.getClassSchema(), List.of("priority", "headers", "maxAttempts"));
        GenericRecord written = new GenericData.Record(old);
        written.put("id", "task-old");
        written.put("type", "legacy");
        fillDefaults(old, written);
        Task read = serde.deserializer().deserialize("tasks", wire(registry.register("tasks-value", old), old, written));
        assertEquals("task-old", read.getId());
        assertEquals(0, read.getPriority(), "default of priority");
        assertEquals(3, read.getMaxAttempts(), "default of maxAttempts");
        assertEquals(Map.of(), read.getHeaders(), "default of headers");
    }

    @Test
    void newerWriterWithAnExtraFieldIsReadByIgnoringIt() throws IOException {
        Schema newer = withExtraField(Task.getClassSchema(), "costCenter");
        GenericRecord written = new GenericData.Record(newer);
        fillDefaults(newer, written);
        written.put("id", "task-new");
        written.put("type", "future");
        written.put("costCenter", "cc-7");
        Task read = serde.deserializer().deserialize("tasks", wire(registry.register("tasks-value", newer), newer, written));
        assertEquals("task-new", read.getId());
        assertEquals("future", read.getType());
    }

    static Schema withoutFields(Schema schema, List<String> dropped) {
        List<Schema.Field> kept = schema.getFields().stream()
                .filter(f -> !dropped.contains(f.name()))
                .map(f -> new Schema.Field(f, f.schema()))
                .collect(Collectors.toList());
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, kept);
    }

    static Schema withExtraField(Schema schema, String name) {
        List<Schema.Field> fields = schema.getFields().stream()
                .map(f -> new Schema.Field(f, f.schema()))
                .collect(Collectors.toList());
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.STRING), null, "none"));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    private static void fillDefaults(Schema schema, GenericRecord record) {
        for (Schema.Field field : schema.getFields()) {
            if (field.hasDefaultValue() && record.get(field.name()) == null) {
                record.put(field.name(), GenericData.get().getDefaultValue(field));
            }
        }
    }

    private static byte[] wire(int id, Schema schema, GenericRecord record) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ByteBuffer.allocate(5).put((byte) 0).putInt(id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
