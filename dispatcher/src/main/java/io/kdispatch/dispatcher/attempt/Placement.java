package io.kdispatch.dispatcher.attempt;

import io.kdispatch.dispatcher.routing.RoutingDecision;

/**
 * What the lifecycle asks of routing, supplied by the caller: a decision for an attempt (the caller
 * knows the fleet, the loads, the anti-affinity groups, the affinity bindings, the paused task types),
 * and the incarnation of the worker chosen.
 */
public interface Placement {
    /**
     * Routes {@code attempt}.
     *
     * @param stickyWorker the worker that holds the task now (a resubmission), or null
     */
    RoutingDecision decide(Attempt attempt, String stickyWorker);

    /** The chosen worker's incarnation as last seen, or 0 when unknown. */
    long incarnation(String workerId);
}
