package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.Task;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/** Builds {@link DeadLetter} records. */
final class DeadLetters {
    private DeadLetters() {
    }

    /** A dead letter for a task the dispatcher understood but gave up on. */
    static DeadLetter forTask(Task task, DeadLetterReason reason, String detail, List<AttemptRecord> attempts,
                              long nowMs) {
        return DeadLetter.newBuilder()
                .setTaskId(task.getId())
                .setReason(reason)
                .setDetail(detail)
                .setAttempts(attempts)
                .setTask(task)
                .setDeadLetteredAt(Instant.ofEpochMilli(nowMs))
                .build();
    }

    /** A dead letter for a record the dispatcher could not read, keeping its original bytes. */
    static DeadLetter forRawRecord(String taskId, DeadLetterReason reason, String detail, byte[] key, byte[] value,
                                   String topic, int partition, long offset, long nowMs) {
        return DeadLetter.newBuilder()
                .setTaskId(taskId)
                .setReason(reason)
                .setDetail(detail)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
                .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setDeadLetteredAt(Instant.ofEpochMilli(nowMs))
                .build();
    }
}
