package io.kdispatch.dispatcher.capacity;

import io.kdispatch.dispatcher.simulate.CapacityPlanner;
import io.kdispatch.dispatcher.simulate.Scenario;
import io.kdispatch.dispatcher.simulate.SimConfig;
import io.kdispatch.dispatcher.simulate.Trace;
import io.kdispatch.dispatcher.simulate.TraceScenario;
import io.kdispatch.dispatcher.simulate.WorkerKind;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The answer behind the gauge, from a trace of the last window: the kinds are the values of the kind label
 * among the workers that heartbeat in it (or {@code all}), and each kind's count is
 * {@link CapacityPlanner#plan}'s, exactly what {@code simulate capacity --trace} prints for the same trace.
 * With no task in the window every kind needs 0; a kind that even the maximum does not serve is given the
 * maximum. Plain: no Kafka, no Micrometer.
 */
public final class CapacityEstimate {
    private CapacityEstimate() {
    }

    /** Workers needed per kind; empty when no worker heartbeats in the window. */
    public static Map<String, Integer> of(Trace trace, CapacitySettings settings) {
        Map<String, Integer> needed = new TreeMap<>();
        TreeSet<String> kinds = new TreeSet<>();
        for (Trace.Heartbeat h : trace.heartbeats()) {
            String value = settings.kindLabel().isEmpty() ? "all" : h.labels().get(settings.kindLabel());
            if (value != null) {
                kinds.add(value);
            }
        }
        if (kinds.isEmpty()) {
            return needed;
        }
        if (trace.tasks().isEmpty()) {
            kinds.forEach(k -> needed.put(k, 0));
            return needed;
        }
        Scenario replay = TraceScenario.of(trace, "last " + settings.window().toSeconds() + " s");
        for (String k : kinds) {
            WorkerKind kind = k.equals("all") && settings.kindLabel().isEmpty() ? WorkerKind.parse("all")
                    : new WorkerKind(k, null, Map.of(settings.kindLabel(), k));
            CapacityPlanner.Answer a = CapacityPlanner.plan(replay, kind, settings.targetP99Wait().toMillis(),
                    settings.maxWorkers(), SimConfig.of("capacity", Map.of()), replay.seed());
            needed.put(k, a.needed() < 0 ? settings.maxWorkers() : a.needed());
        }
        return needed;
    }
}
