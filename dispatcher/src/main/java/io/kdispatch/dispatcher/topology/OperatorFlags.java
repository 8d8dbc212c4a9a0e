package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.control.ControlState;

/** What an operator (cordon, drain) and the circuit breakers say about a worker, as the fleet reads it. */
record OperatorFlags(BreakerBoard breakers, ControlState control) implements FleetTracker.WorkerFlags {
    @Override
    public boolean breakerOpen(String workerId) {
        return breakers.unavailable(workerId);
    }

    @Override
    public boolean cordoned(String workerId) {
        return control.cordoned(workerId);
    }

    @Override
    public boolean draining(String workerId) {
        return control.draining(workerId);
    }
}
