package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.Task;

/**
 * The key a task is routed under: its anti-affinity group, else its affinity key, else its ID. All
 * tasks with one routing key are decided by one stream task, in intake order.
 */
final class RoutingKeys {
    private RoutingKeys() {
    }

    static String of(String recordKey, Task task) {
        if (task == null) {
            return recordKey;
        }
        if (notBlank(task.getAntiAffinityGroup())) {
            return task.getAntiAffinityGroup();
        }
        if (notBlank(task.getAffinityKey())) {
            return task.getAffinityKey();
        }
        return task.getId() == null || task.getId().isEmpty() ? recordKey : task.getId();
    }

    /** The task's anti-affinity group, or null when it has none. */
    static String group(Task task) {
        return notBlank(task.getAntiAffinityGroup()) ? task.getAntiAffinityGroup() : null;
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
