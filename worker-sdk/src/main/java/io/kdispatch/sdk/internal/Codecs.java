package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serde;

/**
 * The registry-backed serdes of the three record types a worker reads or writes. Thread-safe
 * (the serdes are); {@link #close()} releases their registry clients.
 */
final class Codecs implements AutoCloseable {
    private final Serde<TaskAssignment> assignments;
    private final Serde<TaskResult> results;
    private final Serde<WorkerHeartbeat> heartbeats;

    Codecs(SerdeConfig config) {
        Serde<TaskAssignment> a = null;
        Serde<TaskResult> r = null;
        try {
            a = AvroSerdes.serde(TaskAssignment.class, config);
            r = AvroSerdes.serde(TaskResult.class, config);
            this.heartbeats = AvroSerdes.serde(WorkerHeartbeat.class, config);
        } catch (RuntimeException e) {
            closeQuietly(a);
            closeQuietly(r);
            throw e;
        }
        this.assignments = a;
        this.results = r;
    }

    /**
     * Reads an assignment.
     *
     * @throws org.apache.kafka.common.errors.SerializationException when the bytes are not a
     *     readable assignment (retrying cannot help)
     * @throws io.kdispatch.schemas.serde.SchemaRegistryException when the registry could not be
     *     asked (retrying may help)
     */
    TaskAssignment readAssignment(String topic, Headers headers, byte[] bytes) {
        return assignments.deserializer().deserialize(topic, headers, bytes);
    }

    byte[] write(String topic, Headers headers, TaskResult result) {
        return results.serializer().serialize(topic, headers, result);
    }

    byte[] write(String topic, Headers headers, WorkerHeartbeat heartbeat) {
        return heartbeats.serializer().serialize(topic, headers, heartbeat);
    }

    @Override
    public void close() {
        closeQuietly(assignments);
        closeQuietly(results);
        closeQuietly(heartbeats);
    }

    private static void closeQuietly(Serde<?> serde) {
        if (serde != null) {
            serde.close();
        }
    }
}
