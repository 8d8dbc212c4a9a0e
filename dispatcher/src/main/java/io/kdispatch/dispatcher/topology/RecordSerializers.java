package io.kdispatch.dispatcher.topology;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;

/** Adapts a serializer of one record type to the processor's common output type. */
final class RecordSerializers {
    private RecordSerializers() {
    }

    /**
     * A serializer of {@link SpecificRecord} that casts to {@code T}: the dispatch processor sends only
     * {@code T} values to the sink this serializer belongs to.
     */
    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> Serializer<SpecificRecord> narrowing(Serializer<T> delegate) {
        return new Serializer<>() {
            @Override
            public byte[] serialize(String topic, SpecificRecord data) {
                return delegate.serialize(topic, (T) data);
            }

            @Override
            public byte[] serialize(String topic, Headers headers, SpecificRecord data) {
                return delegate.serialize(topic, headers, (T) data);
            }

            @Override
            public void close() {
                delegate.close();
            }
        };
    }
}
