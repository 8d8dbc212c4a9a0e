package io.kdispatch.dispatcher.replay;

import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** Turns a source record's bytes into a {@link ReplayCandidate}, or says why it cannot. Not thread-safe. */
final class SourceDecoder implements AutoCloseable {
    /** What a source record turned out to be. */
    sealed interface Decoded permits Readable, Unreadable {
    }

    /** A task to consider for replay. */
    record Readable(ReplayCandidate candidate) implements Decoded {
    }

    /** A record that cannot be replayed, and why. */
    record Unreadable(String why) implements Decoded {
    }

    private final ReplaySource source;
    private final Deserializer<DeadLetter> deadLetters;
    private final Deserializer<TaskAssignment> assignments;
    private final Deserializer<Task> tasks;

    SourceDecoder(ReplaySource source, SerdeConfig serdes) {
        this.source = source;
        this.deadLetters = AvroSerdes.serde(DeadLetter.class, serdes).deserializer();
        this.assignments = AvroSerdes.serde(TaskAssignment.class, serdes).deserializer();
        this.tasks = AvroSerdes.serde(Task.class, serdes).deserializer();
    }

    Decoded decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return new Unreadable("tombstone (no value)");
        }
        try {
            return switch (source.kind()) {
                case DEAD_LETTERS -> fromDeadLetter(deadLetters.deserialize(record.topic(), record.value()));
                case WORKER -> new Readable(new ReplayCandidate(
                        assignments.deserialize(record.topic(), record.value()).getTask(), Set.of(source.workerId()), null));
                case INTAKE -> new Readable(new ReplayCandidate(
                        tasks.deserialize(record.topic(), record.value()), Set.of(), null));
            };
        } catch (RuntimeException e) {
            // Not Avro, an unknown schema ID, or another record type: counted and reported, never fatal.
            return new Unreadable(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static Decoded fromDeadLetter(DeadLetter letter) {
        if (letter.getTask() == null) {
            return new Unreadable("dead letter " + letter.getReason() + " without a parsed task (taskId "
                    + letter.getTaskId() + "): " + letter.getDetail());
        }
        Set<String> workers = letter.getAttempts().stream().map(AttemptRecord::getWorkerId).collect(Collectors.toSet());
        return new Readable(new ReplayCandidate(letter.getTask(), workers, letter.getReason().name()));
    }

    @Override
    public void close() {
        deadLetters.close();
        assignments.close();
        tasks.close();
    }
}
