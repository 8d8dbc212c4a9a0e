package io.kdispatch.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes generated Avro records in the Confluent wire format, registering (or, with
 * {@code auto.register.schemas=false}, looking up) the record's schema under the subject
 * {@code <topic>-value} or {@code <topic>-key} (TopicNameStrategy). {@code null} is written as
 * {@code null} (a tombstone).
 *
 * <p>Create it ready to use with {@link #RegistryAvroSerializer(SerdeConfig, boolean)}, or with the
 * no-arg constructor and then {@link #configure(Map, boolean)} (Kafka's {@code value.serializer}
 * path). Thread-safe once configured. Registry failures surface as {@link SchemaRegistryException}.
 *
 * @param <T> the generated record type
 */
public class RegistryAvroSerializer<T extends SpecificRecord> implements Serializer<T> {
    private final Map<Schema, SpecificDatumWriter<T>> writers = new ConcurrentHashMap<>();
    private volatile Binding binding;
    private volatile boolean closed;

    /** An unconfigured serializer: call {@link #configure(Map, boolean)} before use. */
    public RegistryAvroSerializer() {
    }

    /** A ready serializer owning a registry client made from {@code config}. */
    public RegistryAvroSerializer(SerdeConfig config, boolean isKey) {
        bind(ClientHandle.owned(Objects.requireNonNull(config, "config")), isKey, config.autoRegister());
    }

    /** A ready serializer using {@code client}, which the caller keeps and closes. */
    public RegistryAvroSerializer(SchemaRegistryClient client, boolean isKey, boolean autoRegister) {
        bind(ClientHandle.borrowed(Objects.requireNonNull(client, "client")), isKey, autoRegister);
    }

    /**
     * Reads the settings with {@link SerdeConfig#fromMap(Map)}.
     *
     * @throws IllegalStateException when already configured
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        requireUnconfigured();
        SerdeConfig config = SerdeConfig.fromMap(configs);
        bind(ClientHandle.owned(config), isKey, config.autoRegister());
    }

    /** Fails before a second registry client is created for an already configured serializer. */
    void requireUnconfigured() {
        if (binding != null || closed) {
            throw new IllegalStateException("serializer already configured or closed; configure(...) may be called once");
        }
    }

    synchronized void bind(ClientHandle handle, boolean isKey, boolean autoRegister) {
        requireUnconfigured();
        binding = new Binding(handle, handle.acquire(), isKey, autoRegister);
    }

    @Override
    public byte[] serialize(String topic, T data) {
        if (data == null) {
            return null;
        }
        Binding b = requireBinding();
        Objects.requireNonNull(topic, "topic (needed for the subject name)");
        Schema schema = data.getSchema();
        String subject = subject(topic, b.isKey());
        int id = b.autoRegister() ? b.client().register(subject, schema) : b.client().lookup(subject, schema);
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        out.writeBytes(WireFormat.header(id));
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            writers.computeIfAbsent(schema, this::writerFor).write(data, encoder);
            encoder.flush();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("could not encode " + schema.getFullName() + " for topic '" + topic
                    + "' (is a required field null?): " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** TopicNameStrategy: {@code <topic>-key} or {@code <topic>-value}. */
    static String subject(String topic, boolean isKey) {
        return topic + (isKey ? "-key" : "-value");
    }

    /** Releases the registry client when this serializer owned it. Idempotent. */
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

    private SpecificDatumWriter<T> writerFor(Schema schema) {
        return new SpecificDatumWriter<>(schema, SpecificData.getForSchema(schema));
    }

    private Binding requireBinding() {
        Binding b = binding;
        if (closed) {
            throw new IllegalStateException("serializer is closed");
        }
        if (b == null) {
            throw new IllegalStateException("serializer not configured: call configure(Map, isKey) or use a "
                    + "constructor that takes a SerdeConfig");
        }
        return b;
    }

    private record Binding(ClientHandle handle, SchemaRegistryClient client, boolean isKey, boolean autoRegister) {
    }
}
