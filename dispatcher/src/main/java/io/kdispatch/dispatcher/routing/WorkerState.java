package io.kdispatch.dispatcher.routing;

import io.kdispatch.dispatcher.health.Liveness;
import java.util.Map;
import java.util.Objects;

/**
 * One worker as the router sees it at a moment: who it is, whether it takes work, what it offers.
 *
 * @param id worker ID (already validated)
 * @param incarnation changes on every worker restart
 * @param liveness judged liveness
 * @param labels the worker's labels, matched against hard requirements and soft preferences
 * @param capacity tasks it runs at once, as it reported
 * @param inFlight tasks it reported running
 * @param weight its declared weight for weighted strategies
 */
public record WorkerState(String id, long incarnation, Liveness liveness, Map<String, String> labels,
                          int capacity, int inFlight, double weight) {
    public WorkerState {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(liveness, "liveness");
        labels = Map.copyOf(labels);
    }
}
