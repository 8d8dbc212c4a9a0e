package io.kdispatch.schemas.serde;

import java.util.Map;
import java.util.Objects;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Avro serde for generated classes over a registry speaking the Confluent REST protocol (Confluent
 * Schema Registry, Apicurio's {@code /apis/ccompat/v7}, Karapace, Redpanda), or over the in-memory
 * registry for {@code mock://<scope>} URLs. See {@link RegistryAvroSerializer} and
 * {@link RegistryAvroDeserializer} for the wire format, subject naming and errors.
 *
 * <p>Use it ready-made ({@link #RegistryAvroSerde(Class, SerdeConfig, boolean)},
 * {@link AvroSerdes#serde}) or the Kafka way: construct, then {@link #configure(Map, boolean)}.
 * {@link #serializer()} and {@link #deserializer()} return the same instances on every call; they
 * share one registry client (and its cache), closed when both have been closed. Thread-safe once
 * configured.
 *
 * @param <T> the generated record type
 */
public class RegistryAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final RegistryAvroSerializer<T> serializer = new RegistryAvroSerializer<>();
    private final RegistryAvroDeserializer<T> deserializer;

    /** Reads into the class the writer schema names; call {@link #configure(Map, boolean)} before use. */
    public RegistryAvroSerde() {
        this.deserializer = new RegistryAvroDeserializer<>();
    }

    /** A serde for {@code type}; call {@link #configure(Map, boolean)} before use. */
    public RegistryAvroSerde(Class<T> type) {
        this.deserializer = new RegistryAvroDeserializer<>(type);
    }

    /** A ready serde for {@code type} owning a registry client made from {@code config}. */
    public RegistryAvroSerde(Class<T> type, SerdeConfig config, boolean isKey) {
        this(type);
        Objects.requireNonNull(config, "config");
        bind(ClientHandle.owned(config), isKey, config.autoRegister());
    }

    /** A ready serde for {@code type} using {@code client}, which the caller keeps and closes. */
    public RegistryAvroSerde(Class<T> type, SchemaRegistryClient client, boolean isKey, boolean autoRegister) {
        this(type);
        bind(ClientHandle.borrowed(Objects.requireNonNull(client, "client")), isKey, autoRegister);
    }

    /**
     * Reads the settings with {@link SerdeConfig#fromMap(Map)}.
     *
     * @throws IllegalArgumentException when a setting is missing or invalid
     * @throws IllegalStateException when already configured
     */
    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.requireUnconfigured();
        deserializer.requireUnconfigured();
        SerdeConfig config = SerdeConfig.fromMap(configs);
        bind(ClientHandle.owned(config), isKey, config.autoRegister());
    }

    private void bind(ClientHandle handle, boolean isKey, boolean autoRegister) {
        serializer.bind(handle, isKey, autoRegister);
        deserializer.bind(handle);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    /** Closes both halves (and with them an owned registry client). Idempotent. */
    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
