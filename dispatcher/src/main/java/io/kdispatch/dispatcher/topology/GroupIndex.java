package io.kdispatch.dispatcher.topology;

import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where the live members of each anti-affinity group run: {@code group NUL taskId -> workerId}. A
 * member is live from its assignment until its result (or dead letter) closes it; a prefix scan of
 * {@code group NUL} lists the workers it occupies. Every member of a group is routed by the same stream
 * task (the group is the routing key), so this store sees the whole group.
 */
final class GroupIndex {
    private static final char SEPARATOR = '\u0000';
    private static final StringSerializer KEYS = new StringSerializer();

    private final KeyValueStore<String, String> store;

    GroupIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** Workers running a live member of {@code group} other than {@code taskId}. */
    Set<String> occupied(String group, String taskId) {
        Set<String> workers = new HashSet<>();
        if (group == null) {
            return workers;
        }
        String self = key(group, taskId);
        try (KeyValueIterator<String, String> it = store.prefixScan(group + SEPARATOR, KEYS)) {
            while (it.hasNext()) {
                var entry = it.next();
                if (!entry.key.equals(self)) {
                    workers.add(entry.value);
                }
            }
        }
        return workers;
    }

    void running(String group, String taskId, String workerId) {
        if (group != null) {
            store.put(key(group, taskId), workerId);
        }
    }

    void release(String group, String taskId) {
        if (group != null) {
            store.delete(key(group, taskId));
        }
    }

    private static String key(String group, String taskId) {
        return group + SEPARATOR + taskId;
    }
}
