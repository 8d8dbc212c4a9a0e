package io.kdispatch.dispatcher.routing;

import io.kdispatch.dispatcher.health.Liveness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Workers, fleets and a mutable {@link LoadView} for routing tests. */
final class Fixtures {
    private Fixtures() {
    }

    /** A READY worker with no labels, capacity 4 and weight 1. */
    static WorkerState ready(String id) {
        return worker(id, Map.of(), 4, 1.0);
    }

    static WorkerState worker(String id, Map<String, String> labels, int capacity, double weight) {
        return new WorkerState(id, 1, Liveness.READY, labels, capacity, weight, false, false);
    }

    static Map<String, WorkerState> fleet(WorkerState... workers) {
        Map<String, WorkerState> fleet = new LinkedHashMap<>();
        for (WorkerState worker : workers) {
            fleet.put(worker.id(), worker);
        }
        return fleet;
    }

    /** {@code n} READY workers named worker-0..worker-(n-1), with a capacity no test fills. */
    static Map<String, WorkerState> roomy(int n) {
        Map<String, WorkerState> fleet = new HashMap<>();
        for (String id : ids(n)) {
            fleet.put(id, worker(id, Map.of(), 1_000_000, 1.0));
        }
        return fleet;
    }

    static List<String> ids(int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add("worker-" + i);
        }
        return ids;
    }

    static Router router(Map<String, WorkerState> fleet) {
        return new Router(fleet, RoutingConfig.defaults());
    }

    static RoutingDecision.Assigned assigned(RoutingDecision decision) {
        if (decision instanceof RoutingDecision.Assigned assigned) {
            return assigned;
        }
        throw new AssertionError("expected an assignment, got " + decision);
    }

    static RoutingDecision.Parked parked(RoutingDecision decision) {
        if (decision instanceof RoutingDecision.Parked parked) {
            return parked;
        }
        throw new AssertionError("expected parking, got " + decision);
    }

    /** A load view backed by maps the test updates between decisions. */
    static class Loads implements LoadView {
        final Map<String, Integer> loads = new HashMap<>();
        final Map<String, Double> serviceTimes = new HashMap<>();

        Loads set(String workerId, int load) {
            loads.put(workerId, load);
            return this;
        }

        Loads serviceTime(String workerId, double ms) {
            serviceTimes.put(workerId, ms);
            return this;
        }

        void add(String workerId) {
            loads.merge(workerId, 1, Integer::sum);
        }

        @Override
        public int load(String workerId) {
            return loads.getOrDefault(workerId, 0);
        }

        @Override
        public double serviceTimeMs(String workerId) {
            return serviceTimes.getOrDefault(workerId, Double.NaN);
        }
    }
}
