package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.DecisionOutcome;
import io.kdispatch.schemas.RoutingExplanation;
import java.time.Instant;
import java.util.List;

/** Turns a routing decision into the {@link RoutingExplanation} that {@code explain} shows. */
final class Explanations {
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
                    .setStrategy(a.strategy()).setCandidates(a.candidates()).setExcluded(a.excluded())
                    .setReason(a.binding()).build();
        }
        RoutingDecision.Parked p = (RoutingDecision.Parked) decision;
        return b.setOutcome(DecisionOutcome.PARKED).setReason(p.reason()).setRule("parked")
                .setCandidates(List.of()).setExcluded(p.excluded()).build();
    }
}
