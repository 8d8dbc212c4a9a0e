package io.kdispatch.dispatcher.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Decides which worker gets a task, against an immutable view of the fleet's static facts and the loads
 * read at decision time. Rules, in order (DESIGN.md, data flow step 3):
 * <ol>
 *   <li><b>Eligibility.</b> A worker must accept work by liveness, not be cordoned, not have an open
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
 * over the eligible workers only.
 *
 * <p>Loads: a decision reads them from a {@link LoadBoard} ({@link #board}), which keeps each worker's load
 * and, per routing table, the total load and the full workers, as the caller pushes changes. A decision
 * therefore costs no work proportional to the fleet for a sticky or bound task (one check), an affinity
 * key's placement or a consistent-hash task (a ring lookup and a short walk, checked against the board's
 * totals): only the strategies and soft preferences that compare every member list the pool. Its lists of
 * candidates and exclusions are shared with the table or capped ({@link RoutingDecision}).
 *
 * <p>Thread-safe: a router is immutable apart from its caches, which are safe for concurrent use (a
 * {@link LoadBoard} is not: one per deciding thread).
 * Build a new router (or use {@link #withWorkers}/{@link #withConfig}) when the worker view's static facts
 * or the config change; load changes need no new router.
 */
public final class Router {
    /** Distinct label signatures cached before the cache is cleared, bounding memory under varied requirements. */
    public static final int MAX_CACHED_SIGNATURES = 1_024;
    private static final String NO_WORKERS = "no workers known";
    private static final String FIRST_PLACEMENT = "first placement";

    private final Fleet fleet;
    private final RoutingConfig config;
    private final ConcurrentHashMap<Eligibility.Signature, RoutingTable> tables;
    /** The table last used, for {@link #table(List, Map)}. */
    private volatile LastTable last;

    /**
     * A router over {@code workers} (keyed by worker ID, which must equal each state's {@link WorkerState#id()})
     * with {@code config}.
     *
     * @throws IllegalArgumentException when a key does not match its worker's ID
     */
    public Router(Map<String, WorkerState> workers, RoutingConfig config) {
        this(new Fleet(Objects.requireNonNull(workers, "workers")), config, new ConcurrentHashMap<>());
    }

    private Router(Fleet fleet, RoutingConfig config, ConcurrentHashMap<Eligibility.Signature, RoutingTable> tables) {
        this.fleet = fleet;
        this.config = Objects.requireNonNull(config, "config");
        this.tables = tables;
    }

    /** A router over the same workers with another config; reuses this router's tables and ring. */
    public Router withConfig(RoutingConfig config) {
        return new Router(fleet, config, tables);
    }

    /**
     * A router over {@code workers} with this config; reuses this router's hash ring when the set of worker
     * IDs is unchanged (a liveness or flag change), which saves rebuilding it.
     */
    public Router withWorkers(Map<String, WorkerState> workers) {
        return new Router(Fleet.reusingRing(Objects.requireNonNull(workers, "workers"), fleet), config,
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
     * A load board over this router's fleet (and any router's that shares it, such as {@link #withConfig}
     * with the same prefetch), copied from {@code source} now. Keep it current with
     * {@link LoadBoard#refresh} and pass it to {@link #decide}; build a new one for a new router.
     */
    public LoadBoard board(LoadView source) {
        return new LoadBoard(fleet, config.prefetch(), Objects.requireNonNull(source, "source"));
    }

    boolean boardFits(LoadBoard board) {
        return board.fits(fleet, config.prefetch());
    }

    /**
     * Routes one task attempt. Deterministic: the same workers, config, request and loads give the same
     * decision on any router instance.
     *
     * @param loads the current load and service time of each worker; read, never retained. A
     *     {@linkplain #board board} of this router's costs no work proportional to the fleet; any other view
     *     is copied into a fresh board first (one read per worker)
     */
    public RoutingDecision decide(RoutingRequest request, LoadView loads) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(loads, "loads");
        if (fleet.size() == 0) {
            return new RoutingDecision.Parked(NO_WORKERS, ReasonMap.EMPTY);
        }
        LoadBoard board = loads instanceof LoadBoard own && boardFits(own) ? own : board(loads);
        RoutingTable table = table(request.requirements(), request.preferences());
        Filtered eligible = Eligibility.filter(fleet, table, request, board, true);
        int sticky = fleet.indexOf(request.stickyWorker());
        if (eligible.pool().contains(sticky)) {
            return assigned(sticky, "sticky", "sticky", eligible, null);
        }
        if (request.affinityKey() != null) {
            return byAffinity(request, table, eligible, board);
        }
        if (eligible.pool().isEmpty()) {
            return parked(eligible);
        }
        return byStrategy(request, table, eligible, board);
    }

    /**
     * An affinity key goes to the worker it is bound to, and is placed by consistent hashing with
     * bounded load when it has none. It moves only when its worker becomes ineligible (dead, draining,
     * cordoned, breaker open, labels no longer met), or for load: when the key is idle (none of its tasks
     * in flight or waiting: a new burst starts; drain before move, as Pulsar's Key_Shared drains hashes),
     * its worker is full and over the bound, and the worker the ring gives instead can take the task now.
     * So a key never runs on two healthy workers at once, and it moves only when that lets a new burst
     * start sooner; while its worker merely has more than the average, while the key has a backlog, or
     * while every worker is full, it stays, which keeps its cache warm and its tasks in order. Fullness is
     * left out of the pool the ring walks and checked on the worker chosen. A bound worker that has room
     * costs no ring walk at all.
     */
    private RoutingDecision byAffinity(RoutingRequest request, RoutingTable table, Filtered eligible,
                                       LoadBoard board) {
        String boundWorker = request.boundWorker();
        int bound = fleet.indexOf(boundWorker);
        if (bound >= 0 && eligible.pool().contains(bound) && !request.avoidWorkers().contains(boundWorker)) {
            // the fast path: the bound worker has room (and the avoid rule cannot take it out of the ring's pool)
            return assigned(bound, "affinity-bound", "affinity-hash", eligible, null);
        }
        // With no full candidate, ignoring fullness changes nothing (not even the soft avoid rule's count).
        Filtered ignoringFullness = eligible.load().fullCount == 0 ? eligible
                : Eligibility.filter(fleet, table, request, board, false);
        if (ignoringFullness.pool().isEmpty()) {
            return parked(eligible);
        }
        if (bound >= 0 && ignoringFullness.pool().contains(bound)) {
            if (eligible.pool().contains(bound) || !request.keyIdle() || BoundedLoad.fits(ignoringFullness.pool(), bound, config.boundedLoadFactor())) {
                return onWorker(request, bound, "affinity-bound", eligible, null);
            }
            int moved = BoundedLoad.index(pick(request, ignoringFullness));
            if (moved == bound || !eligible.pool().contains(moved)) {
                return onWorker(request, bound, "affinity-bound", eligible, null); // moving would not help
            }
            return assigned(moved, "affinity-hash+bounded", "affinity-hash", eligible, "moved from "
                    + boundWorker + ": full and over the load bound while the key was idle");
        }
        String binding = FIRST_PLACEMENT;
        if (boundWorker != null) {
            String why = bound < 0 ? null : ignoringFullness.reasonFor(bound);
            binding = "moved from " + boundWorker + ": " + (bound < 0 ? "no longer in the fleet"
                    : why == null ? "not eligible" : why);
        }
        long pick = pick(request, ignoringFullness);
        return onWorker(request, BoundedLoad.index(pick),
                BoundedLoad.bounded(pick) ? "affinity-hash+bounded" : "affinity-hash", eligible,
                binding);
    }

    private long pick(RoutingRequest request, Filtered ignoringFullness) {
        return BoundedLoad.pick(fleet.ring(), request.affinityKey(), ignoringFullness.pool(),
                config.boundedLoadFactor());
    }

    /** The key's task goes to {@code index}, or waits for it while it is full. */
    private RoutingDecision onWorker(RoutingRequest request, int index, String rule, Filtered eligible,
                                     String binding) {
        if (eligible.pool().contains(index)) {
            return assigned(index, rule, "affinity-hash", eligible, binding);
        }
        String worker = fleet.ids[index];
        // Every eligible worker is explained by the key's owner; the soft avoid rule only matters when a task
        // can go somewhere, and this one waits.
        String belongs = "affinity key " + request.affinityKey() + " belongs to " + worker;
        return new RoutingDecision.Parked("affinity key " + request.affinityKey() + " waits for its worker "
                + worker + ": " + eligible.reasonFor(index), Heads.everyone(eligible, belongs), fleet.size());
    }

    private RoutingDecision byStrategy(RoutingRequest request, RoutingTable table, Filtered eligible,
                                       LoadBoard board) {
        boolean sideB = config.abStrategy() != null && Hashing.percentBucket(request.taskId()) < config.abPercent();
        Strategy strategy = sideB ? config.abStrategy() : config.strategy();
        Pool pool = table.scores() == null ? eligible.pool() : eligible.pool().best(table.scores());
        Strategies.Choice choice = Strategies.choose(strategy, fleet, pool, request.taskId(), board,
                config.boundedLoadFactor());
        String rule = !sideB && !choice.bounded() ? choice.label()
                : (sideB ? "ab:" : "") + choice.label() + (choice.bounded() ? "+bounded" : "");
        return assigned(choice.index(), rule, choice.label(), eligible, null);
    }

    /** Lists shared with the table when no per-decision rule took anyone out, else their first entries. */
    private RoutingDecision assigned(int index, String rule, String strategy, Filtered eligible,
                                     String binding) {
        if (eligible.dynamic() == 0) {
            RoutingTable table = eligible.table();
            return new RoutingDecision.Assigned(fleet.ids[index], rule, strategy, table.candidateIds(),
                    table.excluded(), binding, table.candidates().length, table.excluded().size());
        }
        return new RoutingDecision.Assigned(fleet.ids[index], rule, strategy, Heads.candidates(eligible),
                Heads.excluded(eligible), binding, eligible.pool().size(), eligible.excludedCount());
    }

    /** Nobody can take the task: every worker is excluded. */
    private RoutingDecision parked(Filtered eligible) {
        return new RoutingDecision.Parked(Eligibility.parkReason(eligible), Heads.everyone(eligible, null),
                fleet.size());
    }

    /**
     * The table of the signature, from the last one used when it is the same (the common case: runs of tasks
     * with one signature), which costs no key object and no hash look-up.
     */
    private RoutingTable table(List<LabelRule> requirements, Map<String, String> preferences) {
        LastTable seen = last;
        if (seen != null && seen.matches(requirements, preferences)) {
            return seen.table();
        }
        RoutingTable table = table(new Eligibility.Signature(requirements, preferences));
        last = new LastTable(requirements, preferences, table);
        return table;
    }

    private record LastTable(List<LabelRule> requirements, Map<String, String> preferences, RoutingTable table) {
        boolean matches(List<LabelRule> otherRequirements, Map<String, String> otherPreferences) {
            return (requirements == otherRequirements || requirements.equals(otherRequirements))
                    && (preferences == otherPreferences || preferences.equals(otherPreferences));
        }
    }

    private RoutingTable table(Eligibility.Signature signature) {
        RoutingTable cached = tables.get(signature);
        if (cached != null) {
            return cached;
        }
        if (tables.size() >= MAX_CACHED_SIGNATURES) {
            tables.clear();
        }
        return tables.computeIfAbsent(signature, s -> Eligibility.table(fleet, s));
    }
}
