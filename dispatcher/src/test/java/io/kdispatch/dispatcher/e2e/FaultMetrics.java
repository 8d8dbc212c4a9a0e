package io.kdispatch.dispatcher.e2e;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the fault suite's in-process dispatchers report while a fault runs: liveness transitions per worker
 * (to tell a worker that was declared suspect or dead from one that never was), re-dispatches and dead
 * letters by reason. Not transactional: a stream task that is re-created reports a worker's first sighting
 * again (JOINING), so tests judge SUSPECT and DEAD.
 */
final class FaultMetrics implements DispatchMetrics {
    private final Map<String, List<String>> liveness = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> redispatched = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deadLettered = new ConcurrentHashMap<>();

    @Override
    public void livenessChanged(String workerId, String state) {
        liveness.computeIfAbsent(workerId, w -> new CopyOnWriteArrayList<>()).add(state);
    }

    @Override
    public void redispatched(String reason) {
        redispatched.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    @Override
    public void deadLettered(String reason) {
        deadLettered.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    /** The states {@code workerId} was judged to be in, in order. */
    List<String> livenessOf(String workerId) {
        return List.copyOf(liveness.getOrDefault(workerId, List.of()));
    }

    /** How often {@code workerId} was judged SUSPECT or DEAD. */
    long unhealthyJudgements(String workerId) {
        return livenessOf(workerId).stream().filter(s -> s.equals("SUSPECT") || s.equals("DEAD")).count();
    }

    Map<String, Long> redispatches() {
        return counts(redispatched);
    }

    Map<String, Long> deadLetters() {
        return counts(deadLettered);
    }

    private static Map<String, Long> counts(Map<String, LongAdder> adders) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        adders.forEach((k, v) -> counts.put(k, v.sum()));
        return counts;
    }
}
