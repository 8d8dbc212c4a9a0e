package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskRules;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Builds {@link DeadLetter} records, bounded in size: a dead letter must reach the dead-letter topic, whose
 * records are limited like any other (1 MiB by Kafka's default), even when what it reports is a record that
 * was refused for its size. So the parts that make a task larger than {@link TaskRules#MAX_TASK_BYTES} are
 * left out of its dead letter (and the detail says which, with their size), and a raw record's bytes over
 * {@link #MAX_ORIGINAL_BYTES} are not copied; the source topic, partition and offset still locate the
 * original.
 */
final class DeadLetters {
    /** Largest original value copied into a dead letter, in bytes. */
    static final int MAX_ORIGINAL_BYTES = 512 * 1024;
    /** Largest original key copied (and used as the dead letter's key), in bytes. */
    static final int MAX_KEY_BYTES = 4 * TaskRules.MAX_ID_LENGTH;
    /** Largest map or list kept in the dead letter of an oversized task, in (worst-case UTF-8) bytes. */
    static final int MAX_PART_BYTES = 16 * 1024;

    private DeadLetters() {
    }

    /** A dead letter for a task the dispatcher understood but gave up on. */
    static DeadLetter forTask(Task task, DeadLetterReason reason, String detail, List<AttemptRecord> attempts,
                              long nowMs) {
        List<String> omitted = new ArrayList<>();
        Task kept = bounded(task, omitted);
        return DeadLetter.newBuilder()
                .setTaskId(kept.getId())
                .setReason(reason)
                .setDetail(omitted.isEmpty() ? detail : detail + "; left out of this dead letter: "
                        + String.join(", ", omitted))
                .setAttempts(attempts)
                .setTask(kept)
                .setDeadLetteredAt(Instant.ofEpochMilli(nowMs))
                .build();
    }

    /** A dead letter for a record the dispatcher could not read, keeping its original bytes. */
    static DeadLetter forRawRecord(String taskId, DeadLetterReason reason, String detail, byte[] key, byte[] value,
                                   String topic, int partition, long offset, long nowMs) {
        boolean keepValue = value != null && value.length <= MAX_ORIGINAL_BYTES;
        String note = value == null || keepValue ? "" : "; the original value (" + value.length
                + " bytes, over " + MAX_ORIGINAL_BYTES + ") is not copied: read it at the source offset";
        return DeadLetter.newBuilder()
                .setTaskId(boundedId(taskId))
                .setReason(reason)
                .setDetail(detail + note)
                .setOriginalKey(key == null ? null : ByteBuffer.wrap(boundedKey(key)))
                .setOriginalValue(keepValue ? ByteBuffer.wrap(value) : null)
                .setSourceTopic(topic)
                .setSourcePartition(partition)
                .setSourceOffset(offset)
                .setDeadLetteredAt(Instant.ofEpochMilli(nowMs))
                .build();
    }

    /** {@code id} cut to {@link TaskRules#MAX_ID_LENGTH} characters (null stays null). */
    static String boundedId(String id) {
        return id == null || id.length() <= TaskRules.MAX_ID_LENGTH ? id : id.substring(0, TaskRules.MAX_ID_LENGTH);
    }

    /** {@code key} cut to {@link #MAX_KEY_BYTES}. */
    static byte[] boundedKey(byte[] key) {
        return key.length <= MAX_KEY_BYTES ? key : Arrays.copyOf(key, MAX_KEY_BYTES);
    }

    /**
     * {@code task} itself when it fits {@link TaskRules#MAX_TASK_BYTES}; else a copy without what made it too
     * large (each part named in {@code omitted}): a payload over its limit, any map or list over
     * {@link #MAX_PART_BYTES}, and texts cut to their limits. The copy is at most the payload limit plus a
     * few parts of {@link #MAX_PART_BYTES}.
     */
    private static Task bounded(Task task, List<String> omitted) {
        if (TaskRules.encodedSize(task) <= TaskRules.MAX_TASK_BYTES) {
            return task;
        }
        int payload = task.getPayload() == null ? 0 : task.getPayload().remaining();
        if (payload > TaskRules.MAX_PAYLOAD_BYTES) {
            omitted.add("payload (" + payload + " bytes)");
        }
        return Task.newBuilder()
                .setId(cut(task.getId(), "id", TaskRules.MAX_ID_LENGTH, omitted))
                .setType(cut(task.getType(), "type", TaskRules.MAX_TEXT_LENGTH, omitted))
                .setPayload(payload > TaskRules.MAX_PAYLOAD_BYTES ? ByteBuffer.allocate(0) : task.getPayload())
                .setPriority(task.getPriority())
                .setRequiredLabels(part(task.getRequiredLabels(), "requiredLabels", omitted))
                .setLabelRequirements(requirements(task.getLabelRequirements(), omitted))
                .setPreferredLabels(part(task.getPreferredLabels(), "preferredLabels", omitted))
                .setAffinityKey(cut(task.getAffinityKey(), "affinityKey", TaskRules.MAX_TEXT_LENGTH, omitted))
                .setAntiAffinityGroup(cut(task.getAntiAffinityGroup(), "antiAffinityGroup", TaskRules.MAX_TEXT_LENGTH,
                        omitted))
                .setMaxAttempts(task.getMaxAttempts())
                .setDeadline(task.getDeadline())
                .setSubmittedAt(task.getSubmittedAt())
                .setHeaders(part(task.getHeaders(), "headers", omitted))
                .build();
    }

    private static String cut(String s, String field, int max, List<String> omitted) {
        if (s == null || s.length() <= max) {
            return s;
        }
        omitted.add(field + " after " + max + " of " + s.length() + " chars");
        return s.substring(0, max);
    }

    private static Map<String, String> part(Map<String, String> map, String field, List<String> omitted) {
        long chars = 0;
        for (Map.Entry<String, String> e : map.entrySet()) {
            chars += e.getKey().length() + e.getValue().length();
        }
        if (3 * chars <= MAX_PART_BYTES) {
            return map;
        }
        omitted.add(field + " (" + map.size() + " entries)");
        return Map.of();
    }

    private static List<LabelRequirement> requirements(List<LabelRequirement> list, List<String> omitted) {
        long chars = 0;
        for (LabelRequirement r : list) {
            chars += r.getKey().length() + r.getValues().stream().mapToLong(String::length).sum();
        }
        if (3 * chars <= MAX_PART_BYTES) {
            return list;
        }
        omitted.add("labelRequirements (" + list.size() + ")");
        return List.of();
    }
}
