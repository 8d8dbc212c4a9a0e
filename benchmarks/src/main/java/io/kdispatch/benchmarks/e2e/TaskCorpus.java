package io.kdispatch.benchmarks.e2e;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The tasks every phase reads, serialized once (Confluent wire format through the real registry) so
 * that every phase's intake holds byte-for-byte the same records: {@code bench-<n>}, type {@code bench},
 * a payload that brings each record to about {@link #RECORD_BYTES} bytes, no routing hints.
 */
final class TaskCorpus {
    /** Target size of one serialized intake record's value, as in the measurements. */
    static final int RECORD_BYTES = 200;

    private final byte[][] keys;
    private final byte[][] values;

    private TaskCorpus(byte[][] keys, byte[][] values) {
        this.keys = keys;
        this.values = values;
    }

    /** Serializes {@code count} tasks with the registry serde, registering the schema under {@code topic}. */
    static TaskCorpus build(int count, SerdeConfig serdes, String topic) {
        byte[][] keys = new byte[count][];
        byte[][] values = new byte[count][];
        try (Serde<Task> serde = AvroSerdes.serde(Task.class, serdes);
             Serializer<Task> serializer = serde.serializer()) {
            for (int i = 0; i < count; i++) {
                Task task = task(i, null);
                keys[i] = task.getId().getBytes(StandardCharsets.UTF_8);
                values[i] = serializer.serialize(topic, task);
            }
        }
        return new TaskCorpus(keys, values);
    }

    /** Task number {@code n}, stamped with {@code submittedAtMs} when not null. */
    static Task task(int n, Long submittedAtMs) {
        String id = "bench-" + n;
        // ~20 bytes of header, ID and type; the payload makes up the rest of RECORD_BYTES.
        byte[] payload = new byte[RECORD_BYTES - 40 - id.length()];
        Arrays.fill(payload, (byte) 'x');
        Task.Builder task = Task.newBuilder().setId(id).setType("bench").setPayload(ByteBuffer.wrap(payload));
        if (submittedAtMs != null) {
            task.setSubmittedAt(java.time.Instant.ofEpochMilli(submittedAtMs));
        }
        return task.build();
    }

    int size() {
        return keys.length;
    }

    byte[] key(int i) {
        return keys[i];
    }

    byte[] value(int i) {
        return values[i];
    }

    /** Mean serialized value size, for the report. */
    double meanValueBytes() {
        return Arrays.stream(values).mapToInt(v -> v.length).average().orElse(0);
    }
}
