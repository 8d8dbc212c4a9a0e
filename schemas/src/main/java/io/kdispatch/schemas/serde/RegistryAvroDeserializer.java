package io.kdispatch.schemas.serde;

import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro records into generated classes. The writer schema is fetched
 * by the ID in the header; the reader schema is the target class's, and Avro schema resolution
 * bridges the two, so records written with an older or newer compatible schema are read.
 * {@code null} is read as {@code null} (a tombstone).
 *
 * <p>Failures that describe the record: {@link MalformedRecordException} (too short, wrong magic
 * byte, undecodable body, a length or count larger than the record: see {@link BoundedDecoder}) and
 * {@link UnknownSchemaException} (ID not registered, writer schema not readable as the target type). A failing registry surfaces as {@link SchemaRegistryException}.
 *
 * <p>Without a target class (no-arg constructor, Kafka's {@code value.deserializer} path) the
 * generated class named by the writer schema is used. Thread-safe once configured.
 *
 * @param <T> the generated record type
 */
public class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final Class<T> type;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    private volatile Binding binding;
    private volatile boolean closed;

    /** Reads into the class the writer schema names; call {@link #configure(Map, boolean)} before use. */
    public RegistryAvroDeserializer() {
        this.type = null;
    }

    /** Reads into {@code type}; call {@link #configure(Map, boolean)} before use. */
    public RegistryAvroDeserializer(Class<T> type) {
        this.type = requireGenerated(type);
    }

    /** A ready deserializer into {@code type} owning a registry client made from {@code config}. */
    public RegistryAvroDeserializer(Class<T> type, SerdeConfig config) {
        this(type);
        bind(ClientHandle.owned(Objects.requireNonNull(config, "config")));
    }

    /** A ready deserializer into {@code type} using {@code client}, which the caller keeps and closes. */
    public RegistryAvroDeserializer(Class<T> type, SchemaRegistryClient client) {
        this(type);
        bind(ClientHandle.borrowed(Objects.requireNonNull(client, "client")));
    }

    /**
     * Reads the settings with {@link SerdeConfig#fromMap(Map)}; {@code isKey} does not matter for
     * reading (the schema ID is in the record).
     *
     * @throws IllegalStateException when already configured
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        requireUnconfigured();
        bind(ClientHandle.owned(SerdeConfig.fromMap(configs)));
    }

    /** Fails before a second registry client is created for an already configured deserializer. */
    void requireUnconfigured() {
        if (binding != null || closed) {
            throw new IllegalStateException("deserializer already configured or closed; configure(...) may be called once");
        }
    }

    synchronized void bind(ClientHandle handle) {
        requireUnconfigured();
        binding = new Binding(handle, handle.acquire());
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        SchemaRegistryClient client = requireClient();
        int id = WireFormat.schemaId(data, topic);
        SpecificDatumReader<T> reader = readers.get(id);
        if (reader == null) {
            reader = readerFor(client, id, topic);
            readers.putIfAbsent(id, reader);
        }
        return decode(reader, id, data, topic);
    }

    private T decode(SpecificDatumReader<T> reader, int id, byte[] data, String topic) {
        int body = data.length - WireFormat.HEADER_SIZE;
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, body, null);
        T record;
        try {
            // no length prefix may claim more than the body holds: Avro would allocate it first (see BoundedDecoder)
            record = reader.read(null, new BoundedDecoder(decoder, body));
            if (!decoder.isEnd()) {
                throw new MalformedRecordException(bodyProblem(reader, id, data, topic)
                        + ": bytes left over after the record ended (corrupt or written with another schema)");
            }
        } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException
                 | NegativeArraySizeException | ClassCastException e) {
            throw new MalformedRecordException(bodyProblem(reader, id, data, topic) + ": " + e, e);
        }
        return record;
    }

    private String bodyProblem(SpecificDatumReader<T> reader, int id, byte[] data, String topic) {
        return "could not decode the Avro body of a " + WireFormat.describe(data.length, topic)
                + " with writer schema id " + id + " (" + reader.getSchema().getFullName() + ")";
    }

    private SpecificDatumReader<T> readerFor(SchemaRegistryClient client, int id, String topic) {
        Schema writer = writerSchema(client, id, topic);
        Schema reader = readerSchema(writer, id);
        SchemaPairCompatibility compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new UnknownSchemaException(id, "writer schema id " + id + " (" + writer.getFullName()
                    + ") in a record from topic '" + topic + "' cannot be read as " + reader.getFullName() + ": "
                    + describe(compatibility.getResult()));
        }
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForSchema(reader));
    }

    private static Schema writerSchema(SchemaRegistryClient client, int id, String topic) {
        try {
            return client.getById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new UnknownSchemaException(id, "schema id " + id + " in a record from topic '" + topic
                        + "' is not in the registry: " + e.getMessage(), e);
            }
            throw e;
        }
    }

    private Schema readerSchema(Schema writer, int id) {
        if (type != null) {
            return SpecificData.getForClass(type).getSchema(type);
        }
        Class<?> cls = writer.getType() == Schema.Type.RECORD ? SpecificData.get().getClass(writer) : null;
        if (cls == null || !SpecificRecord.class.isAssignableFrom(cls)) {
            throw new UnknownSchemaException(id, "writer schema id " + id + " names " + writer.getFullName()
                    + ", which is not a generated Avro class on the classpath; pass the target class explicitly");
        }
        return SpecificData.getForClass(cls).getSchema(cls);
    }

    /** One short line per incompatibility (Avro's own toString prints both schemas in full). */
    static String describe(SchemaCompatibility.SchemaCompatibilityResult result) {
        return result.getIncompatibilities().stream()
                .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                .collect(Collectors.joining("; "));
    }

    /** Releases the registry client when this deserializer owned it. Idempotent. */
    @Override
    public void close() {
        Binding b;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            b = binding;
        }
        if (b != null) {
            b.handle().release();
        }
    }

    static <C> Class<C> requireGenerated(Class<C> type) {
        Objects.requireNonNull(type, "type");
        try {
            SpecificData.getForClass(type).getSchema(type);
        } catch (AvroRuntimeException e) {
            throw new IllegalArgumentException(type.getName()
                    + " is not a generated Avro class (it has no SCHEMA$): " + e.getMessage(), e);
        }
        return type;
    }

    private SchemaRegistryClient requireClient() {
        Binding b = binding;
        if (closed) {
            throw new IllegalStateException("deserializer is closed");
        }
        if (b == null) {
            throw new IllegalStateException("deserializer not configured: call configure(Map, isKey) or use a "
                    + "constructor that takes a SerdeConfig");
        }
        return b.client();
    }

    private record Binding(ClientHandle handle, SchemaRegistryClient client) {
    }
}
