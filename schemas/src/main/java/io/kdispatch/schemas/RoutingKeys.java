package io.kdispatch.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Utils;

/**
 * The key a task is routed under: its anti-affinity group, else its affinity key, else its ID. All
 * tasks with one routing key are decided by one dispatcher stream task, in the order they arrive; the
 * submit client also places each task on the intake partition of its routing key, so a key's tasks
 * arrive in the order one producer submitted them. Declared once here, for the dispatcher and the SDK.
 */
public final class RoutingKeys {
    private RoutingKeys() {
    }

    /** The routing key of {@code task}, received under {@code recordKey} (used when the task has no ID). */
    public static String of(String recordKey, Task task) {
        if (task == null) {
            return recordKey;
        }
        String id = task.getId() == null || task.getId().isEmpty() ? recordKey : task.getId();
        return of(id, task.getAffinityKey(), task.getAntiAffinityGroup());
    }

    /** The routing key of a task with these hints: its group, else its affinity key, else its ID. */
    public static String of(String taskId, String affinityKey, String group) {
        if (notBlank(group)) {
            return group;
        }
        return notBlank(affinityKey) ? affinityKey : taskId;
    }

    /**
     * The partition of {@code routingKey} among {@code partitions}: Kafka's default partitioner on the
     * key's UTF-8 bytes (murmur2), which is also where Kafka Streams' repartition topic puts it.
     */
    public static int partitionOf(String routingKey, int partitions) {
        return partitionOf(routingKey.getBytes(StandardCharsets.UTF_8), partitions);
    }

    /** {@link #partitionOf(String, int)} of a key already encoded as UTF-8. */
    public static int partitionOf(byte[] routingKeyBytes, int partitions) {
        return Utils.toPositive(Utils.murmur2(routingKeyBytes)) % partitions;
    }

    /** The task's anti-affinity group, or null when it has none. */
    public static String group(Task task) {
        return notBlank(task.getAntiAffinityGroup()) ? task.getAntiAffinityGroup() : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
