package io.kdispatch.dispatcher.routing;

// The router as it was before the load board (main at 117a1a2), unchanged but for its class names: the
// reference that RouterBoardPropertyTest compares the board-based router with. Test code only.

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which workers may take a task, and why the others may not.
 *
 * <p>Split in two so that per-decision work stays small: {@link #table} applies the static rules
 * (liveness, cordon, breaker, hard label requirements) once per signature; {@link #filter} applies the
 * rules that depend on the moment or the request (load bound, anti-affinity, avoid set) per decision.
 *
 * <p>Reasons are human-readable, shown by explain. A worker failing several rules shows the first, in
 * the order liveness, cordon, breaker, labels, load, anti-affinity, avoid.
 */
final class ReferenceEligibility {
    /** The reason given to a worker skipped because it failed this task on its last attempt. */
    static final String AVOIDED = "failed this task on its last attempt";

    private ReferenceEligibility() {
    }

    /** The key under which a router caches a {@link ReferenceTable}. */
    record Signature(List<LabelRule> requirements, Map<String, String> preferences) {
    }

    /** Applies the static rules of {@code signature} to every worker of {@code fleet}. */
    static ReferenceTable table(Fleet fleet, Signature signature) {
        int[] candidates = new int[fleet.size()];
        int[] positions = new int[fleet.size()];
        List<String> ids = new ArrayList<>();
        Map<String, String> excluded = new TreeMap<>();
        int count = 0;
        for (int i = 0; i < fleet.size(); i++) {
            String why = staticExclusion(fleet.states[i], signature.requirements());
            positions[i] = why == null ? count : -1;
            if (why == null) {
                candidates[count++] = i;
                ids.add(fleet.ids[i]);
            } else {
                excluded.put(fleet.ids[i], why);
            }
        }
        return new ReferenceTable(Arrays.copyOf(candidates, count), List.copyOf(ids), ReasonMap.copyOf(excluded),
                positions, scores(fleet, signature.preferences()));
    }

    private static String staticExclusion(WorkerState worker, List<LabelRule> requirements) {
        if (!worker.liveness().acceptsWork()) {
            return "liveness " + worker.liveness();
        }
        if (worker.cordoned()) {
            return "cordoned";
        }
        if (worker.breakerOpen()) {
            return "breaker open";
        }
        for (LabelRule rule : requirements) {
            if (!rule.matches(worker.labels())) {
                return "label requirement " + rule + " not met";
            }
        }
        return null;
    }

    private static int[] scores(Fleet fleet, Map<String, String> preferences) {
        if (preferences.isEmpty()) {
            return null;
        }
        int[] scores = new int[fleet.size()];
        for (int i = 0; i < fleet.size(); i++) {
            Map<String, String> labels = fleet.states[i].labels();
            for (Map.Entry<String, String> preference : preferences.entrySet()) {
                if (preference.getValue().equals(labels.get(preference.getKey()))) {
                    scores[i]++;
                }
            }
        }
        return scores;
    }

    /** A prefetch for {@link #filter} that leaves fullness out: no worker is excluded for its load. */
    static final int IGNORING_FULLNESS = -1;

    /** The outcome of the per-decision rules: who is eligible, and why each other worker is not. */
    record Filtered(ReferencePool pool, List<String> candidates, ReasonMap excluded) {
    }

    /**
     * Applies the per-decision rules to {@code table}'s candidates. The avoid set is soft: its workers are
     * excluded only when at least one other worker stays eligible, so a retry is never parked merely
     * because the only capable worker is the one that failed it before.
     *
     * @param prefetch the least credit a worker gets beyond its capacity (see {@link LoadView#limit}), or
     *     {@link #IGNORING_FULLNESS} to filter by everything but fullness
     */
    static Filtered filter(Fleet fleet, ReferenceTable table, RoutingRequest request, LoadView loads, int prefetch) {
        Scan scan = new Scan(fleet, table);
        int[] candidates = table.candidates();
        for (int at = 0; at < candidates.length; at++) {
            int index = candidates[at];
            int current = Math.max(0, loads.load(fleet.ids[index]));
            int capacity = fleet.capacities[index];
            scan.load[at] = current;
            scan.total += current;
            if (prefetch != IGNORING_FULLNESS && current >= capacity) { // below its capacity a worker is never full
                int limit = loads.limit(fleet.ids[index], capacity, prefetch);
                if (current >= limit) {
                    scan.exclude(index, "full (load " + current + " >= capacity " + capacity + " + credit "
                            + (limit - capacity) + ")");
                }
            }
        }
        for (String occupied : request.groupOccupied()) {
            scan.exclude(fleet.indexOf(occupied), "anti-affinity: already runs a member of group "
                    + request.antiAffinityGroup());
        }
        int avoided = 0;
        for (String worker : request.avoidWorkers()) {
            avoided += scan.eligible(fleet.indexOf(worker)) ? 1 : 0;
        }
        if (avoided > 0 && avoided < scan.eligible) {
            for (String worker : request.avoidWorkers()) {
                scan.exclude(fleet.indexOf(worker), AVOIDED);
            }
        }
        return scan.result();
    }

    /** The mutable state of one {@link #filter} run. */
    private static final class Scan {
        private final Fleet fleet;
        private final ReferenceTable table;
        private final int[] load;
        private long total;
        private int eligible;
        private Map<String, String> dynamic;

        Scan(Fleet fleet, ReferenceTable table) {
            this.fleet = fleet;
            this.table = table;
            this.load = new int[table.candidates().length];
            this.eligible = load.length;
        }

        boolean eligible(int index) {
            return index >= 0 && table.positions()[index] >= 0 && load[table.positions()[index]] >= 0;
        }

        /** Excludes the worker at {@code index} for {@code reason} unless it is already out. */
        void exclude(int index, String reason) {
            if (!eligible(index)) {
                return;
            }
            int at = table.positions()[index];
            total -= load[at];
            load[at] = -1;
            eligible--;
            if (dynamic == null) {
                dynamic = new TreeMap<>();
            }
            dynamic.put(fleet.ids[index], reason);
        }

        Filtered result() {
            if (dynamic == null) {
                ReferencePool pool = new ReferencePool(table.candidates(), table.positions(), load, total);
                return new Filtered(pool, table.candidateIds(), table.excluded());
            }
            int[] members = new int[eligible];
            List<String> ids = new ArrayList<>(eligible);
            int next = 0;
            for (int index : table.candidates()) {
                if (load[table.positions()[index]] >= 0) {
                    members[next++] = index;
                    ids.add(fleet.ids[index]);
                }
            }
            ReferencePool pool = new ReferencePool(members, table.positions(), load, total);
            return new Filtered(pool, List.copyOf(ids), table.excluded().plus(dynamic));
        }
    }

    /**
     * A one-line summary of why nobody is eligible, e.g. {@code no eligible worker among 5: 3 full, 2 label
     * requirement gpu=true not met}: reasons grouped by kind (the text before any parenthesis), most
     * frequent first.
     */
    static String parkReason(int known, Map<String, String> excluded) {
        if (known == 0) {
            return "no workers known";
        }
        Map<String, Long> counts = excluded.values().stream()
                .collect(Collectors.groupingBy(ReferenceEligibility::kind, TreeMap::new, Collectors.counting()));
        String summary = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return "no eligible worker among " + known + ": " + summary;
    }

    private static String kind(String reason) {
        int parenthesis = reason.indexOf(" (");
        return parenthesis < 0 ? reason : reason.substring(0, parenthesis);
    }
}
