package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.Placement;
import io.kdispatch.dispatcher.attempt.TaskFacts;
import io.kdispatch.dispatcher.control.ControlState;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.InFlight;
import io.kdispatch.dispatcher.quota.QuotaBoard;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.quota.Scope;
import io.kdispatch.dispatcher.routing.ParkKind;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.dispatcher.routing.Router;
import io.kdispatch.dispatcher.routing.RoutingRequest;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.dispatcher.routing.WorkerState;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * Routing as the attempt lifecycle sees it ({@link Placement}): an attempt becomes a
 * {@link RoutingRequest} with what this stream task knows (the anti-affinity group's occupied workers,
 * the affinity key's binding and whether the key has tasks in flight there) and is decided by the
 * fleet's current router against the load tracker. Three rules come before the router: a paused task
 * type waits, a key's fresh task waits behind the key's earlier waiting tasks, and a task over a quota or
 * out of rate tokens ({@link QuotaBoard}) waits; a task the router assigns takes its tokens.
 */
final class RoutingPort implements Placement {
    /** Suffix of the rule of a task sent past its worker's credit because its tenant was below its share. */
    static final String PAST_CREDIT = "+below-share";

    private final FleetTracker fleet;
    private final LoadTracker loads;
    private final AttemptIndex index;
    private final AffinityBindings bindings;
    private final DispatchMetrics metrics;
    private final QuotaBoard quotas;
    private final QuotaSettings configured;
    private final LongSupplier clock;
    private ControlState control = ControlState.EMPTY;
    private Router shareBase;
    private Router shareRouter;
    private int slotsHere;

    /**
     * @param quotas this stream task's quota board, over {@code index}'s in-flight counts
     * @param configured the quota limits and the wait queue's fairness of the configuration, which the control
     *                   topic overrides
     * @param clock wall-clock milliseconds (the stream task's), for the rate buckets
     */
    RoutingPort(FleetTracker fleet, LoadTracker loads, AttemptIndex index, AffinityBindings bindings,
                DispatchMetrics metrics, QuotaBoard quotas, QuotaSettings configured, LongSupplier clock) {
        this.fleet = fleet;
        this.loads = loads;
        this.index = index;
        this.bindings = bindings;
        this.metrics = metrics;
        this.quotas = quotas;
        this.configured = configured;
        this.clock = clock;
    }

    /** Takes the run-time settings (paused task types, quotas, the queue's weights and aging) as of the last tick. */
    void control(ControlState state) {
        this.control = state;
        quotas.reconfigure(configured.limits().with(state.quotas()));
        index.waiting().fairness(state.fairness(configured.fairness()));
    }

    QuotaBoard quotas() {
        return quotas;
    }

    @Override
    public RoutingDecision decide(Attempt attempt, String stickyWorker) {
        TaskFacts task = attempt.task();
        if (control.paused(task.type())) {
            return new RoutingDecision.Parked("task type " + task.type() + " is paused by an operator", Map.of(),
                    ParkKind.PAUSED);
        }
        String key = task.affinityKey();
        boolean keyed = key != null && !attempt.retry(); // retries are placed afresh, off the key's line
        if (keyed && index.waiting().waitingAhead(key, task.id())) {
            return new RoutingDecision.Parked("affinity key " + key + ": its earlier tasks wait for a worker and "
                    + "this one waits behind them, in intake order", Map.of(), ParkKind.KEY_ORDER);
        }
        QuotaBoard.Subject subject = new QuotaBoard.Subject(task.id(), task.type(), task.tenant(), key);
        long now = clock.getAsLong();
        QuotaBoard.Block block = quotas.check(subject, now);
        if (block != null) {
            return new RoutingDecision.Parked(block.reason(), Map.of(),
                    block.kind() == QuotaBoard.Block.Kind.QUOTA ? ParkKind.QUOTA : ParkKind.RATE);
        }
        String bound = keyed ? bindings.workerOf(key) : null;
        RoutingRequest request = new RoutingRequest(task.id(), key, task.requirements(), task.preferences(),
                stickyWorker, attempt.avoidWorker() == null ? Set.of() : Set.of(attempt.avoidWorker()), task.group(),
                index.occupied(task.group(), task.id()), bound, bound == null || !index.keyActive(key));
        long started = System.nanoTime();
        RoutingDecision decision = fleet.router().decide(request, loads.board());
        if (decision instanceof RoutingDecision.Parked parked && parked.kind() == ParkKind.NO_WORKER
                && belowShare(task.tenant())) {
            decision = pastTheCredit(request, parked);
        }
        metrics.decided(System.nanoTime() - started);
        if (decision instanceof RoutingDecision.Assigned) {
            quotas.took(subject, now);
        }
        return decision;
    }

    /**
     * The task of a tenant below its share, with every eligible worker full at its credit, goes to a worker
     * that still has room under what it declared it can hold ({@link LoadTracker#ceiling}), its rule suffixed
     * {@value #PAST_CREDIT}; it waits as decided when none has. The credit is the pipeline that keeps the
     * tenants already running busy; without this, a tenant's first tasks beside another's backlog waited for
     * room in that pipeline (a result of their own partition) and then behind the whole of it on the worker
     * (FairQueueIT). The worker serves what it holds by tenant ({@code FairWaiting} in the SDK), so the task
     * starts at the worker's next free slot. Rare by construction (only when the fleet is full), so the
     * router copies the ceiling view per decision, one read per worker, rather than keep a second board.
     */
    private RoutingDecision pastTheCredit(RoutingRequest request, RoutingDecision.Parked parked) {
        RoutingDecision past = shareRouter().decide(request, loads.ceiling());
        if (past instanceof RoutingDecision.Assigned a) {
            return new RoutingDecision.Assigned(a.workerId(), a.rule() + PAST_CREDIT, a.strategy(), a.candidates(),
                    a.excluded(), a.binding(), a.candidateCount(), a.excludedCount());
        }
        return parked;
    }

    /**
     * The fleet's router with the least-loaded strategy (two choices) and no A/B split, for tasks sent past the
     * credit: the configured strategy may hash a task to the worker with the longest backlog, and a task there
     * waits in the worker's topic behind what the worker cannot fetch yet (FairQueueIT: 7 s on one worker while
     * the two others started theirs within 300 ms). Derived again only when the fleet's router changes.
     */
    private Router shareRouter() {
        Router current = fleet.router();
        if (current != shareBase) {
            shareBase = current;
            shareRouter = current.withConfig(current.config().withStrategy(Strategy.LEAST_LOADED).withAbSplit(null, 0));
            int slots = 0;
            for (WorkerState w : current.workers().values()) {
                slots += w.liveness().acceptsWork() ? w.capacity() : 0;
            }
            slotsHere = (slots + quotas.partitions() - 1) / quotas.partitions();
        }
        return shareRouter;
    }

    /** This stream task's part of the slots of the workers that accept work, derived with {@link #shareRouter}. */
    private int slotsHere() {
        shareRouter();
        return slotsHere;
    }

    /**
     * True when other tenants have tasks in flight or waiting here and {@code tenant} has fewer tasks in flight
     * from this stream task than its weighted share, among those tenants and itself, of what this stream task
     * has in flight, or of its part of the fleet's slots (their sum over the partitions) when that is more: so a
     * tenant's share does not shrink with the credit the others were given. A lone tenant never is below its
     * share. O(tenants here).
     */
    private boolean belowShare(String tenant) {
        InFlight inFlight = index.inFlight();
        int base = Math.max(inFlight.total(), slotsHere());
        WaitQueue waiting = index.waiting();
        long weights = 0;
        for (String t : inFlight.names(Scope.TENANT)) {
            weights += waiting.weight(t);
        }
        for (String t : waiting.tenantNames()) {
            if (inFlight.count(Scope.TENANT, t) == 0) {
                weights += waiting.weight(t);
            }
        }
        int own = inFlight.count(Scope.TENANT, tenant);
        int weight = waiting.weight(tenant);
        if (own == 0 && !waiting.tenantNames().contains(tenant)) {
            weights += weight;
        }
        return weights > weight && (long) own * weights < (long) base * weight;
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
