package io.kdispatch.dispatcher.routing;

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
final class Eligibility {
    /** The reason given to a worker skipped because it failed this task on its last attempt. */
    static final String AVOIDED = "failed this task on its last attempt";

    private Eligibility() {
    }

    /** The key under which a router caches a {@link RoutingTable}. */
    record Signature(List<LabelRule> requirements, Map<String, String> preferences) {
    }

    /** Applies the static rules of {@code signature} to every worker of {@code fleet}. */
    static RoutingTable table(Fleet fleet, Signature signature) {
        int[] candidates = new int[fleet.size()];
        int[] others = new int[fleet.size()];
        int[] positions = new int[fleet.size()];
        List<String> ids = new ArrayList<>();
        Map<String, String> excluded = new TreeMap<>();
        Map<String, Integer> kinds = new TreeMap<>();
        int count = 0;
        int out = 0;
        for (int i = 0; i < fleet.size(); i++) {
            String why = staticExclusion(fleet.states[i], signature.requirements());
            positions[i] = why == null ? count : -1;
            if (why == null) {
                candidates[count++] = i;
                ids.add(fleet.ids[i]);
            } else {
                others[out++] = i;
                excluded.put(fleet.ids[i], why);
                kinds.merge(kind(why), 1, Integer::sum);
            }
        }
        return new RoutingTable(Arrays.copyOf(candidates, count), List.copyOf(ids), ReasonMap.copyOf(excluded),
                Arrays.copyOf(others, out), Map.copyOf(kinds), positions, scores(fleet, signature.preferences()));
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

    /**
     * Applies the per-decision rules to {@code table}'s candidates. The avoid set is soft: its workers are
     * excluded only when at least one other worker stays eligible, so a retry is never parked merely
     * because the only capable worker is the one that failed it before. Costs no work proportional to the
     * fleet: the pool's size and load come from the board's aggregates, less the request's few workers.
     *
     * @param fullness false to filter by everything but fullness: no worker is excluded for its load
     * @return the board's scratch outcome for {@code fullness}, valid until the board's next decision
     */
    static Filtered filter(Fleet fleet, RoutingTable table, RoutingRequest request, LoadBoard board,
                           boolean fullness) {
        TableLoad load = board.of(table);
        int size = table.candidates().length - (fullness ? load.fullCount : 0);
        long total = load.total - (fullness ? load.fullLoad : 0);
        String group = request.antiAffinityGroup();
        if (request.groupOccupied().isEmpty() && request.avoidWorkers().isEmpty()) {
            return board.scratch(fullness).reset(fleet, table, load, Pool.NONE, 0, group, size, total);
        }
        int[] dropped = new int[request.groupOccupied().size() + request.avoidWorkers().size()];
        int n = 0;
        for (String worker : request.groupOccupied()) {
            int index = fleet.indexOf(worker);
            if (inPool(table, board, fullness, dropped, n, index)) {
                dropped[n++] = index;
                size--;
                total -= board.load(index);
            }
        }
        int occupied = n;
        int avoided = 0;
        for (String worker : request.avoidWorkers()) {
            avoided += inPool(table, board, fullness, dropped, n, fleet.indexOf(worker)) ? 1 : 0;
        }
        if (avoided > 0 && avoided < size) {
            for (String worker : request.avoidWorkers()) {
                int index = fleet.indexOf(worker);
                if (inPool(table, board, fullness, dropped, n, index)) {
                    dropped[n++] = index;
                    size--;
                    total -= board.load(index);
                }
            }
        }
        dropped = n == 0 ? Pool.NONE : Arrays.copyOf(dropped, n);
        return board.scratch(fullness).reset(fleet, table, load, dropped, occupied, group, size, total);
    }

    private static boolean inPool(RoutingTable table, LoadBoard board, boolean fullness, int[] dropped, int n,
                                  int index) {
        if (index < 0 || table.positions()[index] < 0 || (fullness && board.full(index))) {
            return false;
        }
        for (int at = 0; at < n; at++) {
            if (dropped[at] == index) {
                return false;
            }
        }
        return true;
    }

    /**
     * A one-line summary of why nobody is eligible, e.g. {@code no eligible worker among 5: 3 full, 2 label
     * requirement gpu=true not met}: reasons grouped by kind (the text before any parenthesis), most
     * frequent first, then by kind.
     */
    static String parkReason(Filtered filtered) {
        Map<String, Integer> counts = new TreeMap<>(filtered.table().kinds());
        if (filtered.fullness() && filtered.load().fullCount > 0) {
            counts.merge("full", filtered.load().fullCount, Integer::sum);
        }
        if (filtered.occupied() > 0) {
            counts.merge(occupiedReason(filtered.group()), filtered.occupied(), Integer::sum);
        }
        if (filtered.dropped().length > filtered.occupied()) {
            counts.merge(AVOIDED, filtered.dropped().length - filtered.occupied(), Integer::sum);
        }
        String summary = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        return "no eligible worker among " + filtered.fleet().size() + ": " + summary;
    }

    static String occupiedReason(String group) {
        return "anti-affinity: already runs a member of group " + group;
    }

    static String fullReason(int load, int capacity, int limit) {
        return "full (load " + load + " >= capacity " + capacity + " + credit " + (limit - capacity) + ")";
    }

    private static String kind(String reason) {
        int parenthesis = reason.indexOf(" (");
        return parenthesis < 0 ? reason : reason.substring(0, parenthesis);
    }
}
