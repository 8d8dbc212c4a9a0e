package io.kdispatch.dispatcher.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Decides which worker gets a task, against an immutable view of the fleet.
 *
 * <p>Order of rules: eligibility (the worker accepts work and meets every hard label rule), then
 * consistent hashing of the affinity key (or the task ID) over the eligible workers. A request's
 * {@code avoidWorkers} are skipped when another eligible worker exists.
 *
 * <p>A router is built once per fleet view; hash rings are built lazily, once per distinct set of
 * label requirements, and reused for every later task with the same requirements. Not thread-safe:
 * each stream task owns its own router.
 */
public final class Router {
    private final Map<String, WorkerState> workers;
    private final Map<List<LabelRule>, Eligible> tables = new HashMap<>();

    /** A router over {@code workers}, keyed by worker ID. */
    public Router(Map<String, WorkerState> workers) {
        this.workers = new TreeMap<>(workers);
    }

    /** The fleet this router decides over. */
    public Map<String, WorkerState> workers() {
        return workers;
    }

    /** Routes one task attempt. */
    public RoutingDecision decide(RoutingRequest request) {
        Eligible eligible = tables.computeIfAbsent(request.requirements(), this::eligibleFor);
        if (eligible.ring.isEmpty()) {
            return new RoutingDecision.Parked(parkReason(request, eligible.excluded), eligible.excluded);
        }
        String rule = request.affinityKey() != null ? "affinity-hash" : "consistent-hash";
        String first = eligible.ring.owner(request.hashKey());
        String chosen = eligible.ring.owner(request.hashKey(), request.avoidWorkers());
        if (!chosen.equals(first)) {
            rule = rule + "+avoid-previous";
        }
        return new RoutingDecision.Assigned(chosen, rule, eligible.members.size());
    }

    private Eligible eligibleFor(List<LabelRule> requirements) {
        List<String> members = new ArrayList<>();
        Map<String, String> excluded = new LinkedHashMap<>();
        for (WorkerState worker : workers.values()) {
            String why = exclusion(worker, requirements);
            if (why == null) {
                members.add(worker.id());
            } else {
                excluded.put(worker.id(), why);
            }
        }
        return new Eligible(members, new HashRing(members), excluded);
    }

    private static String exclusion(WorkerState worker, List<LabelRule> requirements) {
        if (!worker.liveness().acceptsWork()) {
            return "liveness " + worker.liveness();
        }
        for (LabelRule rule : requirements) {
            if (!rule.matches(worker.labels())) {
                return "label requirement " + rule + " not met";
            }
        }
        return null;
    }

    private static String parkReason(RoutingRequest request, Map<String, String> excluded) {
        if (excluded.isEmpty()) {
            return "no workers known";
        }
        return "no eligible worker among " + excluded.size()
                + (request.requirements().isEmpty() ? "" : " for requirements " + request.requirements());
    }

    private record Eligible(List<String> members, HashRing ring, Map<String, String> excluded) {
    }
}
