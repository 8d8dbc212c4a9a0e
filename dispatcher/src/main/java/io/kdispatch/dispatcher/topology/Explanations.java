package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.DecisionOutcome;
import io.kdispatch.schemas.RoutingExplanation;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a routing decision into the {@link RoutingExplanation} that {@code explain} shows. The lists of
 * candidates and excluded workers are capped at {@link #LIST_CAP} entries each, with their full counts
 * beside them, so that a decision costs the same with 10 workers or 10,000 (the parked reason already
 * summarises every exclusion by kind). The decision lists at least that many itself
 * ({@link RoutingDecision#DETAIL_LIMIT}), so the cap shows the same entries whatever the decision shared.
 */
final class Explanations {
    /** Entries kept of the candidates list and of the excluded map, first by worker ID. */
    static final int LIST_CAP = RoutingDecision.DETAIL_LIMIT;

    private Explanations() {
    }

    /**
     * The explanation of {@code decision} for {@code attempt}. An assignment that placed or moved an
     * affinity key gives the binding's reason as its {@code reason}.
     */
    static RoutingExplanation of(Attempt attempt, RoutingDecision decision, String routingKey, String streamTask,
                                 long nowMs) {
        RoutingExplanation.Builder b = RoutingExplanation.newBuilder()
                .setTaskId(attempt.taskId())
                .setAttempt(attempt.number())
                .setRoutingKey(routingKey)
                .setAntiAffinityGroup(attempt.task().group())
                .setDecidedAt(Instant.ofEpochMilli(nowMs))
                .setDispatcherTask(streamTask);
        if (decision instanceof RoutingDecision.Assigned a) {
            return b.setOutcome(DecisionOutcome.ASSIGNED).setWorkerId(a.workerId()).setRule(a.rule())
                    .setStrategy(a.strategy()).setCandidates(capped(a.candidates()))
                    .setCandidateCount(a.candidateCount()).setExcluded(capped(a.excluded()))
                    .setExcludedCount(a.excludedCount()).setReason(a.binding()).build();
        }
        RoutingDecision.Parked p = (RoutingDecision.Parked) decision;
        return b.setOutcome(DecisionOutcome.PARKED).setReason(p.reason()).setRule("parked")
                .setCandidates(List.of()).setCandidateCount(0).setExcluded(capped(p.excluded()))
                .setExcludedCount(p.excludedCount()).build();
    }

    /** The candidates are in worker-ID order already. */
    private static List<String> capped(List<String> candidates) {
        return candidates.size() <= LIST_CAP ? candidates : candidates.subList(0, LIST_CAP);
    }

    /** The excluded map iterates in worker-ID order already. */
    private static Map<String, String> capped(Map<String, String> excluded) {
        if (excluded.size() <= LIST_CAP) {
            return excluded;
        }
        Map<String, String> first = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : excluded.entrySet()) {
            if (first.size() == LIST_CAP) {
                break;
            }
            first.put(e.getKey(), e.getValue());
        }
        return first;
    }
}
