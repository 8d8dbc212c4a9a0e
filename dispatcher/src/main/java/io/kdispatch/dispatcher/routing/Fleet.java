package io.kdispatch.dispatcher.routing;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The workers a {@link Router} decides over, indexed 0..n-1 in worker-ID order, with everything derived
 * from their static facts alone. Immutable after construction except for the hash ring, which is built
 * on first use (publication is safe: the field is volatile and the ring immutable).
 */
final class Fleet {
    /** Weight used for workers whose declared weight is not finite and positive. */
    static final double TINY_WEIGHT = 1e-9;

    final String[] ids;
    final WorkerState[] states;
    /** Declared capacity per worker, copied out of the states for the per-decision scan. */
    final int[] capacities;
    /** Weight per worker, with unusable declarations replaced by {@link #TINY_WEIGHT}. */
    final double[] weights;
    /** A stable per-worker hash, mixed with a task's hash by weighted rendezvous hashing. */
    final long[] seeds;
    final SortedMap<String, WorkerState> byId;
    private final Map<String, Integer> indexes;
    private volatile HashRing ring;

    Fleet(Map<String, WorkerState> workers) {
        TreeMap<String, WorkerState> sorted = new TreeMap<>();
        workers.forEach((key, state) -> {
            if (state == null || !state.id().equals(key)) {
                throw new IllegalArgumentException("worker map key " + key + " does not match the worker's ID "
                        + (state == null ? null : state.id()));
            }
            sorted.put(key, state);
        });
        int n = sorted.size();
        ids = sorted.keySet().toArray(new String[0]);
        states = sorted.values().toArray(new WorkerState[0]);
        capacities = new int[n];
        weights = new double[n];
        seeds = new long[n];
        indexes = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            capacities[i] = states[i].capacity();
            double w = states[i].weight();
            weights[i] = Double.isFinite(w) && w > 0 ? w : TINY_WEIGHT;
            seeds[i] = Hashing.hash64(ids[i], Hashing.RENDEZVOUS_SEED);
            indexes.put(ids[i], i);
        }
        byId = Collections.unmodifiableSortedMap(sorted);
    }

    /** A fleet with {@code workers} that reuses {@code previous}'s ring when the worker IDs are the same. */
    static Fleet reusingRing(Map<String, WorkerState> workers, Fleet previous) {
        Fleet next = new Fleet(workers);
        if (previous.ring != null && previous.byId.keySet().equals(next.byId.keySet())) {
            next.ring = previous.ring;
        }
        return next;
    }

    int size() {
        return ids.length;
    }

    /** The index of {@code workerId}, or -1 when it is not in the fleet. */
    int indexOf(String workerId) {
        Integer index = workerId == null ? null : indexes.get(workerId);
        return index == null ? -1 : index;
    }

    /** The ring over every worker; its member indexes equal fleet indexes (both are in ID order). */
    HashRing ring() {
        HashRing current = ring;
        if (current == null) {
            synchronized (this) {
                current = ring;
                if (current == null) {
                    current = new HashRing(byId.keySet());
                    ring = current;
                }
            }
        }
        return current;
    }
}
