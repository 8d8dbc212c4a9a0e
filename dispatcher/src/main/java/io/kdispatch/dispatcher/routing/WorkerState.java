package io.kdispatch.dispatcher.routing;

import io.kdispatch.dispatcher.health.Liveness;
import java.util.Map;
import java.util.Objects;

/**
 * Static facts about one worker: they change only when the worker view or an operator flag changes, so
 * a {@link Router} built over them can precompute everything derived from them. Fast-changing facts
 * (load, service time) come from a {@link LoadView} at decision time instead.
 *
 * @param id worker ID (already validated by the caller)
 * @param incarnation changes on every worker restart
 * @param liveness judged liveness; only states that {@linkplain Liveness#acceptsWork() accept work} get tasks
 * @param labels the worker's labels, matched against hard requirements and soft preferences; null means none
 * @param capacity tasks it runs at once, as it reported; must not be negative
 * @param weight its declared weight for the weighted strategy; values that are not finite and positive
 *               count as a tiny weight, so such a worker is chosen only when nothing else fits
 * @param cordoned an operator asked that it get no new tasks
 * @param breakerOpen its circuit breaker is open
 */
public record WorkerState(String id, long incarnation, Liveness liveness, Map<String, String> labels,
                          int capacity, double weight, boolean cordoned, boolean breakerOpen) {
    public WorkerState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(liveness, "liveness");
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        if (capacity < 0) {
            throw new IllegalArgumentException("capacity of worker " + id + " must not be negative, was " + capacity);
        }
    }
}
