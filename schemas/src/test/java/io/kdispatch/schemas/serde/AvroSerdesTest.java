package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {
    private final String scope = "avroserdes-" + UUID.randomUUID();

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistryClient.dropScope(scope);
    }

    /** A provider that records its arguments and hands out a recognisable serde. */
    public static final class RecordingProvider implements SerdeProvider {
        static final AtomicReference<String> LAST_CALL = new AtomicReference<>();

        @Override
        @SuppressWarnings("unchecked")
        public <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey, SerdeConfig config) {
            LAST_CALL.set(type.getSimpleName() + "/" + isKey + "/" + config.registryUrl());
            return (Serde<T>) (Serde<?>) new MarkerSerde();
        }
    }

    /** Not what AvroSerdes would build by itself. */
    public static final class MarkerSerde extends Serdes.WrapperSerde<byte[]> {
        public MarkerSerde() {
            super(new org.apache.kafka.common.serialization.ByteArraySerializer(),
                    new org.apache.kafka.common.serialization.ByteArrayDeserializer());
        }
    }

    /** Implements the interface but cannot be built reflectively. */
    public static final class NoDefaultConstructor implements SerdeProvider {
        public NoDefaultConstructor(String unused) {
        }

        @Override
        public <T extends SpecificRecord> Serde<T> serde(Class<T> type, boolean isKey, SerdeConfig config) {
            return null;
        }
    }

    @Test
    void withoutProviderBuildsTheRegistrySerde() {
        try (Serde<Task> serde = AvroSerdes.serde(Task.class, SerdeConfig.of("mock://" + scope))) {
            assertInstanceOf(RegistryAvroSerde.class, serde);
        }
    }

    @Test
    void providerClassReplacesTheSerde() {
        SerdeConfig config = withProvider(RecordingProvider.class.getName());
        try (Serde<Task> serde = AvroSerdes.keySerde(Task.class, config)) {
            assertInstanceOf(MarkerSerde.class, serde);
        }
        assertEquals("Task/true/mock://" + scope, RecordingProvider.LAST_CALL.get());
    }

    @Test
    void missingProviderClassIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvroSerdes.serde(Task.class, withProvider("com.example.Missing")));
        assertTrue(e.getMessage().contains("kdispatch.serde.provider names class com.example.Missing, which is not on"
                + " the classpath"), e.getMessage());
    }

    @Test
    void providerOfTheWrongTypeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvroSerdes.serde(Task.class, withProvider(String.class.getName())));
        assertTrue(e.getMessage().contains("which does not implement io.kdispatch.schemas.serde.SerdeProvider"),
                e.getMessage());
    }

    @Test
    void providerWithoutNoArgConstructorIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AvroSerdes.serde(Task.class, withProvider(NoDefaultConstructor.class.getName())));
        assertTrue(e.getMessage().contains("needs a public no-arg constructor"), e.getMessage());
    }

    @Test
    void theConfigReachesTheProviderUnchanged() {
        SerdeConfig config = withProvider(RecordingProvider.class.getName());
        SerdeConfig roundTripped = SerdeConfig.fromMap(config.toMap());
        assertEquals(config, roundTripped);
        assertSame(MarkerSerde.class, AvroSerdes.serde(Task.class, roundTripped).getClass());
    }

    private SerdeConfig withProvider(String className) {
        return new SerdeConfig("mock://" + scope, null, null, true, className, null);
    }
}
