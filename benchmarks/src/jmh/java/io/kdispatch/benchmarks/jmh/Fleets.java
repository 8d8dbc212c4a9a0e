package io.kdispatch.benchmarks.jmh;

import io.kdispatch.dispatcher.health.Liveness;
import io.kdispatch.dispatcher.routing.LabelRule;
import io.kdispatch.dispatcher.routing.LoadView;
import io.kdispatch.dispatcher.routing.RoutingRequest;
import io.kdispatch.dispatcher.routing.WorkerState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/** Fleets, loads and requests the routing benchmarks share; seeded, so every run routes the same. */
public final class Fleets {
    /** Requests cycled through per benchmark, so no single task ID's path is all that is measured. */
    static final int REQUESTS = 1_024;
    private static final String[] ZONES = {"a", "b", "c"};

    private Fleets() {
    }

    /** {@code size} READY workers {@code w0..}, labelled by zone and disk, capacity 16. */
    static Map<String, WorkerState> workers(int size) {
        Map<String, WorkerState> workers = new TreeMap<>();
        for (int i = 0; i < size; i++) {
            String id = "w" + i;
            Map<String, String> labels = Map.of("zone", ZONES[i % ZONES.length], "disk", i % 2 == 0 ? "ssd" : "hdd");
            workers.put(id, new WorkerState(id, 1, Liveness.READY, labels, 16, 1.0, false, false));
        }
        return workers;
    }

    /**
     * Loads as the topology's load tracker keeps them (hash maps by worker ID): each worker between 0 and
     * 7 tasks, service times between 5 and 50 ms.
     */
    static LoadView loads(int size) {
        Random random = new Random(42);
        Map<String, Integer> load = new HashMap<>();
        Map<String, Double> service = new HashMap<>();
        for (int i = 0; i < size; i++) {
            load.put("w" + i, random.nextInt(8));
            service.put("w" + i, 5 + random.nextDouble() * 45);
        }
        return new LoadView() {
            @Override
            public int load(String workerId) {
                return load.getOrDefault(workerId, 0);
            }

            @Override
            public double serviceTimeMs(String workerId) {
                return service.getOrDefault(workerId, Double.NaN);
            }
        };
    }

    /** The request shapes measured. */
    public enum Shape {
        /** Only a task ID: the active strategy decides. */
        PLAIN,
        /** Hard label rules ({@code zone in (a,b)}, {@code disk=ssd}): a third of the fleet is eligible. */
        LABELS,
        /** An affinity key of 100: consistent hashing with bounded load. */
        AFFINITY,
        /** An anti-affinity group whose other members run on three workers. */
        ANTI_AFFINITY,
        /** Label rules and an affinity key together. */
        LABELS_AND_AFFINITY
    }

    static RoutingRequest[] requests(Shape shape, int size) {
        RoutingRequest[] requests = new RoutingRequest[REQUESTS];
        List<LabelRule> rules = List.of(new LabelRule("zone", LabelRule.Operator.IN, Set.of("a", "b")),
                LabelRule.equalTo("disk", "ssd"));
        for (int i = 0; i < REQUESTS; i++) {
            String id = "task-" + i;
            String key = "key-" + (i % 100);
            requests[i] = switch (shape) {
                case PLAIN -> RoutingRequest.of(id, null);
                case LABELS -> new RoutingRequest(id, null, rules, Map.of(), null, Set.of(), null, Set.of());
                case AFFINITY -> RoutingRequest.of(id, key);
                case ANTI_AFFINITY -> new RoutingRequest(id, null, List.of(), Map.of(), null, Set.of(),
                        "group-" + (i % 10), Set.of("w" + (i % size), "w" + ((i + 1) % size), "w" + ((i + 2) % size)));
                case LABELS_AND_AFFINITY -> new RoutingRequest(id, key, rules, Map.of(), null, Set.of(), null,
                        Set.of());
            };
        }
        return requests;
    }
}
