package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The rejection and dead-letter counts a topology reports, for assertions: what an operator's meters would show. */
final class CountingMetrics implements DispatchMetrics {
    private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

    private void add(String name) {
        counts.computeIfAbsent(name, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void deadLettered(String reason) {
        add("dead-lettered:" + reason);
    }

    @Override
    public void staleResult() {
        add("results-stale");
    }

    @Override
    public void heartbeatRejected() {
        add("heartbeats-rejected");
    }

    @Override
    public void resultAccepted(String status) {
        add("results-accepted:" + status);
    }

    @Override
    public void routed(String rule) {
        add("routed");
    }

    /** The count of {@code name} ({@code dead-lettered:<REASON>}, {@code results-stale}, ...), 0 when never counted. */
    long get(String name) {
        AtomicLong n = counts.get(name);
        return n == null ? 0 : n.get();
    }

    /** Every count, sorted by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }
}
