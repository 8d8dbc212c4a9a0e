package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.Placement;
import io.kdispatch.dispatcher.attempt.TaskFacts;
import io.kdispatch.dispatcher.control.ControlState;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.dispatcher.routing.RoutingRequest;
import io.kdispatch.dispatcher.routing.WorkerState;
import java.util.Map;
import java.util.Set;

/**
 * Routing as the attempt lifecycle sees it ({@link Placement}): an attempt becomes a
 * {@link RoutingRequest} with what this stream task knows (the anti-affinity group's occupied workers,
 * the affinity key's binding and whether the key has tasks in flight there) and is decided by the
 * fleet's current router against the load tracker. Two rules come before the router: a paused task
 * type waits, and a key's fresh task waits behind the key's earlier waiting tasks.
 */
final class RoutingPort implements Placement {
    private final FleetTracker fleet;
    private final LoadTracker loads;
    private final AttemptIndex index;
    private final AffinityBindings bindings;
    private final DispatchMetrics metrics;
    private ControlState control = ControlState.EMPTY;

    RoutingPort(FleetTracker fleet, LoadTracker loads, AttemptIndex index, AffinityBindings bindings,
                DispatchMetrics metrics) {
        this.fleet = fleet;
        this.loads = loads;
        this.index = index;
        this.bindings = bindings;
        this.metrics = metrics;
    }

    /** Takes the run-time settings (paused task types) as of the last tick. */
    void control(ControlState state) {
        this.control = state;
    }

    @Override
    public RoutingDecision decide(Attempt attempt, String stickyWorker) {
        TaskFacts task = attempt.task();
        if (control.paused(task.type())) {
            return new RoutingDecision.Parked("task type " + task.type() + " is paused by an operator", Map.of());
        }
        String key = task.affinityKey();
        boolean keyed = key != null && !attempt.retry(); // retries are placed afresh, off the key's line
        if (keyed && index.waiting().waitingAhead(key, task.id())) {
            return new RoutingDecision.Parked("affinity key " + key + ": its earlier tasks wait for a worker and "
                    + "this one waits behind them, in intake order", Map.of());
        }
        String bound = keyed ? bindings.workerOf(key) : null;
        RoutingRequest request = new RoutingRequest(task.id(), key, task.requirements(), task.preferences(),
                stickyWorker, attempt.avoidWorker() == null ? Set.of() : Set.of(attempt.avoidWorker()), task.group(),
                index.occupied(task.group(), task.id()), bound, bound == null || !index.keyActive(key));
        long started = System.nanoTime();
        RoutingDecision decision = fleet.router().decide(request, loads.board());
        metrics.decided(System.nanoTime() - started);
        return decision;
    }

    /**
     * Room the fleet has for more tasks as this stream task sees it: over the workers that accept work
     * (alive, not cordoned, breaker closed), the sum of their limit (capacity + credit) minus their load.
     * One pass over the fleet: for ticks, not for every record.
     */
    int freeRoom() {
        long room = 0;
        int prefetch = fleet.router().config().prefetch();
        for (WorkerState w : fleet.router().workers().values()) {
            room += room(w, prefetch);
        }
        return (int) Math.min(Integer.MAX_VALUE, room);
    }

    /** Room on one worker (0 when it is unknown or takes no work): what a result of its frees. */
    int roomOn(String workerId) {
        WorkerState w = fleet.router().workers().get(workerId);
        return w == null ? 0 : room(w, fleet.router().config().prefetch());
    }

    private int room(WorkerState w, int prefetch) {
        if (!w.liveness().acceptsWork() || w.cordoned() || w.breakerOpen()) {
            return 0;
        }
        return Math.max(0, loads.limit(w.id(), w.capacity(), prefetch) - Math.max(0, loads.load(w.id())));
    }

    @Override
    public long incarnation(String workerId) {
        return fleet.incarnation(workerId);
    }
}
