package io.kdispatch.dispatcher.routing;

// The router as it was before the load board (main at 117a1a2), unchanged but for its class names: the
// reference that RouterBoardPropertyTest compares the board-based router with. Test code only.

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which worker gets a task, against an immutable view of the fleet's static facts and the loads
 * read at decision time. Rules, in order (DESIGN.md, data flow step 3):
 * <ol>
 *   <li><b>ReferenceEligibility.</b> A worker must accept work by liveness, not be cordoned, not have an open
 *       breaker, meet every hard label requirement, hold fewer than their {@link LoadView#limit limit} (capacity + credit) tasks, and
 *       not already run a member of the task's anti-affinity group. The request's {@code avoidWorkers} are
 *       excluded too, but only when another worker stays eligible (a soft rule).</li>
 *   <li><b>Stickiness.</b> An eligible {@code stickyWorker} keeps the task (rule {@code sticky}).</li>
 *   <li><b>Affinity key.</b> The worker the key is bound to ({@link RoutingRequest#boundWorker()}, rule
 *       {@code affinity-bound}) while it is eligible; else consistent hashing of the key over the eligible
 *       workers with bounded load (rule {@code affinity-hash}, or {@code affinity-hash+bounded} when the
 *       key's ring owner was over the bound), and the decision says why the binding is new
 *       ({@link RoutingDecision.Assigned#binding()}). Soft preferences do not apply here: the key alone
 *       picks the worker, for cache locality.</li>
 *   <li><b>Strategy</b> ({@link RoutingConfig#strategy()}, or {@link RoutingConfig#abStrategy()} for the
 *       task IDs the A/B split sends there) over the eligible workers matching the most preferred
 *       labels.</li>
 *   <li>No eligible worker: {@link RoutingDecision.Parked}, with the reason for every worker.</li>
 * </ol>
 *
 * <p>Routing tables: the static rules are evaluated once per distinct (requirements, preferences)
 * signature, lazily, and cached for the life of the router (at most {@link #MAX_CACHED_SIGNATURES}; the
 * cache is cleared when it would grow beyond). The hash ring covers every worker of the fleet and is built
 * on first use; ineligible workers are skipped while walking it, which gives the same owner as a ring
 * over the eligible workers only. Per decision the router reads each statically eligible worker's load
 * once, so a decision costs O(statically eligible workers) {@link LoadView} calls plus a short ring walk.
 *
 * <p>Thread-safe: a router is immutable apart from its caches, which are safe for concurrent use.
 * Build a new router (or use {@link #withWorkers}/{@link #withConfig}) when the worker view's static facts
 * or the config change; load changes need no new router.
 */
public final class ReferenceRouter {
    /** Distinct label signatures cached before the cache is cleared, bounding memory under varied requirements. */
    public static final int MAX_CACHED_SIGNATURES = 1_024;

    private final Fleet fleet;
    private final RoutingConfig config;
    private final ConcurrentHashMap<ReferenceEligibility.Signature, ReferenceTable> tables;

    /**
     * A router over {@code workers} (keyed by worker ID, which must equal each state's {@link WorkerState#id()})
     * with {@code config}.
     *
     * @throws IllegalArgumentException when a key does not match its worker's ID
     */
    public ReferenceRouter(Map<String, WorkerState> workers, RoutingConfig config) {
        this(new Fleet(Objects.requireNonNull(workers, "workers")), config, new ConcurrentHashMap<>());
    }

    private ReferenceRouter(Fleet fleet, RoutingConfig config, ConcurrentHashMap<ReferenceEligibility.Signature, ReferenceTable> tables) {
        this.fleet = fleet;
        this.config = Objects.requireNonNull(config, "config");
        this.tables = tables;
    }

    /** A router over the same workers with another config; reuses this router's tables and ring. */
    public ReferenceRouter withConfig(RoutingConfig config) {
        return new ReferenceRouter(fleet, config, tables);
    }

    /**
     * A router over {@code workers} with this config; reuses this router's hash ring when the set of worker
     * IDs is unchanged (a liveness or flag change), which saves rebuilding it.
     */
    public ReferenceRouter withWorkers(Map<String, WorkerState> workers) {
        return new ReferenceRouter(Fleet.reusingRing(Objects.requireNonNull(workers, "workers"), fleet), config,
                new ConcurrentHashMap<>());
    }

    /** The fleet this router decides over, keyed and ordered by worker ID; unmodifiable. */
    public Map<String, WorkerState> workers() {
        return fleet.byId;
    }

    /** The routing settings this router applies. */
    public RoutingConfig config() {
        return config;
    }

    /**
     * Routes one task attempt. Deterministic: the same workers, config, request and loads give the same
     * decision on any router instance.
     *
     * @param loads the current load and service time of each worker; read, never retained
     */
    public RoutingDecision decide(RoutingRequest request, LoadView loads) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(loads, "loads");
        if (fleet.size() == 0) {
            return new RoutingDecision.Parked(ReferenceEligibility.parkReason(0, Map.of()), ReasonMap.EMPTY);
        }
        ReferenceTable table = table(new ReferenceEligibility.Signature(request.requirements(), request.preferences()));
        ReferenceEligibility.Filtered eligible = ReferenceEligibility.filter(fleet, table, request, loads, config.prefetch());
        int sticky = fleet.indexOf(request.stickyWorker());
        if (eligible.pool().contains(sticky)) {
            return assigned(sticky, "sticky", "sticky", eligible, null);
        }
        if (request.affinityKey() != null) {
            return byAffinity(request, table, eligible, loads);
        }
        if (eligible.pool().isEmpty()) {
            return new RoutingDecision.Parked(ReferenceEligibility.parkReason(fleet.size(), eligible.excluded()),
                    eligible.excluded());
        }
        return byStrategy(request, table, eligible, loads);
    }

    /**
     * An affinity key goes to the worker it is bound to, and is placed by consistent hashing with
     * bounded load when it has none. It moves only when its worker becomes ineligible (dead, draining,
     * cordoned, breaker open, labels no longer met), or for load: when the key is idle (none of its tasks
     * in flight or waiting: a new burst starts; drain before move, as Pulsar's Key_Shared drains hashes),
     * its worker is full and over the bound, and the worker the ring gives instead can take the task now.
     * So a key never runs on two healthy workers at once, and it moves only when that lets a new burst
     * start sooner; while its worker merely has more than the average, while the key has a backlog, or
     * while every worker is full, it stays, which keeps its cache warm and its tasks in order. Fullness is left out of the pool the ring walks and checked on the
     * worker chosen.
     */
    private RoutingDecision byAffinity(RoutingRequest request, ReferenceTable table, ReferenceEligibility.Filtered eligible,
                                       LoadView loads) {
        ReferenceEligibility.Filtered ignoringFullness = ReferenceEligibility.filter(fleet, table, request, loads, ReferenceEligibility.IGNORING_FULLNESS);
        if (ignoringFullness.pool().isEmpty()) {
            return new RoutingDecision.Parked(ReferenceEligibility.parkReason(fleet.size(), eligible.excluded()),
                    eligible.excluded());
        }
        String boundWorker = request.boundWorker();
        int bound = fleet.indexOf(boundWorker);
        String binding = "first placement";
        if (boundWorker != null && bound >= 0 && ignoringFullness.pool().contains(bound)) {
            if (eligible.pool().contains(bound) || !request.keyIdle()
                    || ReferenceBoundedLoad.fits(ignoringFullness.pool(), bound, config.boundedLoadFactor())) {
                return onWorker(request, bound, "affinity-bound", eligible, null);
            }
            ReferenceBoundedLoad.Pick pick = pick(request, ignoringFullness);
            if (pick.index() == bound || !eligible.pool().contains(pick.index())) {
                return onWorker(request, bound, "affinity-bound", eligible, null); // moving would not help
            }
            return assigned(pick.index(), "affinity-hash+bounded", "affinity-hash", eligible, "moved from "
                    + boundWorker + ": full and over the load bound while the key was idle");
        }
        if (boundWorker != null) {
            binding = "moved from " + boundWorker + ": " + (bound < 0 ? "no longer in the fleet"
                    : ignoringFullness.excluded().getOrDefault(boundWorker, "not eligible"));
        }
        ReferenceBoundedLoad.Pick pick = pick(request, ignoringFullness);
        return onWorker(request, pick.index(), pick.bounded() ? "affinity-hash+bounded" : "affinity-hash", eligible,
                binding);
    }

    private ReferenceBoundedLoad.Pick pick(RoutingRequest request, ReferenceEligibility.Filtered ignoringFullness) {
        return ReferenceBoundedLoad.pick(fleet.ring(), request.affinityKey(), ignoringFullness.pool(),
                config.boundedLoadFactor());
    }

    /** The key's task goes to {@code index}, or waits for it while it is full. */
    private RoutingDecision onWorker(RoutingRequest request, int index, String rule, ReferenceEligibility.Filtered eligible,
                                     String binding) {
        if (eligible.pool().contains(index)) {
            return assigned(index, rule, "affinity-hash", eligible, binding);
        }
        String worker = fleet.ids[index];
        Map<String, String> excluded = new TreeMap<>(eligible.excluded());
        String belongs = "affinity key " + request.affinityKey() + " belongs to " + worker;
        for (String other : eligible.candidates()) {
            excluded.put(other, belongs);
        }
        // The soft avoid rule only matters when a task can go somewhere; this one waits.
        excluded.replaceAll((id, why) -> ReferenceEligibility.AVOIDED.equals(why) ? belongs : why);
        return new RoutingDecision.Parked("affinity key " + request.affinityKey() + " waits for its worker "
                + worker + ": " + eligible.excluded().get(worker), excluded);
    }

    private RoutingDecision byStrategy(RoutingRequest request, ReferenceTable table, ReferenceEligibility.Filtered eligible,
                                       LoadView loads) {
        boolean sideB = config.abStrategy() != null && Hashing.percentBucket(request.taskId()) < config.abPercent();
        Strategy strategy = sideB ? config.abStrategy() : config.strategy();
        ReferencePool pool = table.scores() == null ? eligible.pool() : eligible.pool().best(table.scores());
        ReferenceStrategies.Choice choice = ReferenceStrategies.choose(strategy, fleet, pool, request.taskId(), loads,
                config.boundedLoadFactor());
        String rule = (sideB ? "ab:" : "") + choice.label() + (choice.bounded() ? "+bounded" : "");
        return assigned(choice.index(), rule, choice.label(), eligible, null);
    }

    private RoutingDecision assigned(int index, String rule, String strategy, ReferenceEligibility.Filtered eligible,
                                     String binding) {
        return new RoutingDecision.Assigned(fleet.ids[index], rule, strategy, eligible.candidates(),
                eligible.excluded(), binding);
    }

    private ReferenceTable table(ReferenceEligibility.Signature signature) {
        ReferenceTable cached = tables.get(signature);
        if (cached != null) {
            return cached;
        }
        if (tables.size() >= MAX_CACHED_SIGNATURES) {
            tables.clear();
        }
        return tables.computeIfAbsent(signature, s -> ReferenceEligibility.table(fleet, s));
    }
}
