package io.kdispatch.schemas.serde;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the serdes kdispatch uses for its Avro records. Name an implementation in
 * {@link SerdeConfig#providerClass()} ({@code kdispatch.serde.provider}) to replace the built-in
 * {@link RegistryAvroSerde}, e.g. with a vendor's serde. Implementations need a public no-arg
 * constructor and must be thread-safe; {@link AvroSerdes} creates one instance per call.
 */
public interface SerdeProvider {
    /**
     * Returns a ready-to-use (already configured) serde for {@code type}.
     *
     * @param type the generated Avro class
     * @param isKey true for a record key serde (subject {@code <topic>-key}), false for a value
     * @param config the validated settings
     */
    <T extends SpecificRecord> Serde<T> serde(
            Class<T> type, boolean isKey, SerdeConfig config);
}
