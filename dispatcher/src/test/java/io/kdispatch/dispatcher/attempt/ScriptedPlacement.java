package io.kdispatch.dispatcher.attempt;

import io.kdispatch.dispatcher.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A placement that sends every attempt to one worker, or parks it, as the test says; it records what it was asked. */
final class ScriptedPlacement implements Placement {
    String worker;
    long incarnation = 7;
    final List<String> stickyAsked = new ArrayList<>();

    static ScriptedPlacement to(String worker) {
        ScriptedPlacement p = new ScriptedPlacement();
        p.worker = worker;
        return p;
    }

    static ScriptedPlacement parking() {
        return new ScriptedPlacement();
    }

    @Override
    public RoutingDecision decide(Attempt attempt, String stickyWorker) {
        stickyAsked.add(stickyWorker);
        if (worker == null) {
            return new RoutingDecision.Parked("no eligible worker among 0", Map.of());
        }
        return new RoutingDecision.Assigned(worker, "consistent-hash", "consistent-hash", List.of(worker), Map.of(),
                null);
    }

    @Override
    public long incarnation(String workerId) {
        return incarnation;
    }
}
