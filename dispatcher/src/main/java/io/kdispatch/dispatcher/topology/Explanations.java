package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.DecisionOutcome;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.TaskAssignment;
import java.time.Instant;
import java.util.List;

/** Turns a routing decision into the {@link RoutingExplanation} that {@code explain} shows. */
final class Explanations {
    private Explanations() {
    }

    static RoutingExplanation of(TaskAssignment attempt, RoutingDecision decision, String routingKey,
                                 String streamTask, long nowMs) {
        RoutingExplanation.Builder b = RoutingExplanation.newBuilder()
                .setTaskId(attempt.getTask().getId())
                .setAttempt(attempt.getAttempt())
                .setRoutingKey(routingKey)
                .setAntiAffinityGroup(RoutingKeys.group(attempt.getTask()))
                .setDecidedAt(Instant.ofEpochMilli(nowMs))
                .setDispatcherTask(streamTask);
        if (decision instanceof RoutingDecision.Assigned a) {
            return b.setOutcome(DecisionOutcome.ASSIGNED).setWorkerId(a.workerId()).setRule(a.rule())
                    .setStrategy(a.strategy()).setCandidates(a.candidates()).setExcluded(a.excluded()).build();
        }
        RoutingDecision.Parked p = (RoutingDecision.Parked) decision;
        return b.setOutcome(DecisionOutcome.PARKED).setReason(p.reason()).setRule("parked")
                .setCandidates(List.of()).setExcluded(p.excluded()).build();
    }
}
