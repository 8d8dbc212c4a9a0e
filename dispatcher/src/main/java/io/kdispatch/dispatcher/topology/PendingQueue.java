package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.TaskAssignment;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Task attempts waiting for an eligible worker, iterated highest priority first, then oldest first.
 *
 * <p>The order lives in the store key ({@code priorityRank|parkedAtMs|taskId}, fixed width), so a
 * plain range scan returns it and the order survives restarts. A waiting attempt is stored as a
 * {@link TaskAssignment} whose {@code workerId} names the worker to avoid (empty for none).
 */
final class PendingQueue {
    private final KeyValueStore<String, TaskAssignment> store;
    // True once a scan found the store empty and nothing was parked since: results then skip the scan,
    // which would otherwise open a store iterator for every result on a busy, unparked dispatcher.
    private boolean knownEmpty;

    PendingQueue(KeyValueStore<String, TaskAssignment> store) {
        this.store = store;
    }

    /** Parks {@code attempt} at {@code nowMs}. */
    void park(TaskAssignment attempt, long nowMs) {
        knownEmpty = false;
        store.put(key(attempt.getTask().getPriority(), nowMs, attempt.getTask().getId()), attempt);
    }

    /** Up to {@code limit} waiting attempts, in dispatch order. */
    List<KeyValue<String, TaskAssignment>> head(int limit) {
        List<KeyValue<String, TaskAssignment>> head = new ArrayList<>();
        if (knownEmpty) {
            return head;
        }
        try (KeyValueIterator<String, TaskAssignment> it = store.all()) {
            while (it.hasNext() && head.size() < limit) {
                head.add(it.next());
            }
        }
        knownEmpty = head.isEmpty();
        return head;
    }

    /** Removes an attempt by the key {@link #head} returned. */
    void remove(String key) {
        store.delete(key);
    }

    /** Number of waiting attempts (an estimate, as the store reports it). */
    long size() {
        return store.approximateNumEntries();
    }

    static String key(int priority, long parkedAtMs, String taskId) {
        // Higher priority must sort first: rank = MAX - priority, which lies in [0, 2^32 - 1].
        long rank = (long) Integer.MAX_VALUE - priority;
        return String.format("%010d|%019d|%s", rank, Math.max(0, parkedAtMs), taskId);
    }
}
