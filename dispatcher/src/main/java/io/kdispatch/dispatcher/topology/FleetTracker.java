package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.health.HeartbeatFlow;
import io.kdispatch.dispatcher.health.Liveness;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.Router;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.WorkerState;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerSighting;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;

/**
 * Turns the global worker view into a {@link Router}, judging liveness against wall-clock time.
 *
 * <p>Called on punctuation, never per record. The router is rebuilt only when something routing
 * depends on changed (membership, liveness, labels, incarnation), not when load counters move.
 * Each stream task owns one tracker; not thread-safe. Every stream task judges the same view, so only
 * the narrator (the task of partition 0, which exactly one instance runs) logs transitions: one line
 * per change across the whole fleet of dispatchers.
 */
final class FleetTracker {
    private final ReadOnlyKeyValueStore<String, WorkerSighting> view;
    private final LivenessPolicy policy;
    private RoutingConfig config;
    private final LoadTracker loads;
    private final Logger log;
    private final boolean narrator;
    private final DispatchMetrics metrics;
    private final HeartbeatFlow flow;
    private Map<String, WorkerState> workers = Map.of();
    private Router router;

    FleetTracker(ReadOnlyKeyValueStore<String, WorkerSighting> view, LivenessPolicy policy, RoutingConfig config,
                 LoadTracker loads, Logger log, boolean narrator, DispatchMetrics metrics) {
        this.view = view;
        this.policy = policy;
        this.flow = new HeartbeatFlow(policy);
        this.config = config;
        this.loads = loads;
        this.log = log;
        this.narrator = narrator;
        this.metrics = metrics;
        this.router = new Router(Map.of(), config);
        loads.bind(router);
    }

    private void replace(Router next) {
        router = next;
        loads.bind(next); // one read per worker, only when the router changes
    }

    /** The router for the fleet as last judged. */
    Router router() {
        return router;
    }

    /**
     * Re-applies operator and breaker flags to the workers as last judged, without re-reading the view,
     * so that a breaker that runs out of probes takes its worker out of routing before the next decision.
     */
    void reflag(WorkerFlags flags) {
        Map<String, WorkerState> next = new HashMap<>();
        for (WorkerState w : workers.values()) {
            next.put(w.id(), new WorkerState(w.id(), w.incarnation(), w.liveness(), w.labels(), w.capacity(),
                    w.weight(), flags.cordoned(w.id()), flags.breakerOpen(w.id())));
        }
        if (!next.equals(workers)) {
            replace(router.withWorkers(next));
            workers = next;
        }
    }

    /** Takes new routing settings (from run-time control); the hash ring and tables survive. */
    void reconfigure(RoutingConfig next) {
        if (!next.equals(config)) {
            config = next;
            replace(router.withConfig(next));
            if (narrator) {
                log.info("Routing is now {}", next);
            }
        }
    }

    /** Workers in the view. */
    int size() {
        return workers.size();
    }

    /** The worker as last judged, or null when it is not in the view. */
    WorkerState state(String workerId) {
        return workers.get(workerId);
    }

    /** Incarnation of {@code workerId} as last seen, or 0 when unknown. */
    long incarnation(String workerId) {
        WorkerState state = workers.get(workerId);
        return state == null ? 0 : state.incarnation();
    }

    /**
     * Re-judges every worker at {@code nowMs}.
     *
     * @return the workers that stopped holding their in-flight tasks (dead or gone) since the last call
     */
    Set<String> refresh(long nowMs, WorkerFlags flags) {
        List<WorkerSighting> sightings = readView();
        observeFlow(sightings, nowMs);
        Map<String, WorkerState> next = new HashMap<>();
        for (WorkerSighting sighting : sightings) {
            WorkerHeartbeat hb = sighting.getHeartbeat();
            String id = hb.getWorkerId();
            next.put(id, judge(sighting, nowMs, flags));
            // what waits unread in the worker's topic is load too; a backlog beyond the rules' bound counts as the bound
            int queued = hb.getQueued() + Math.min(hb.getUnread(), HeartbeatRules.MAX_QUEUED);
            loads.observe(id, hb.getInFlight(), queued, hb.getMaxQueued(), sighting.getReceivedAt().toEpochMilli());
            if (narrator) {
                metrics.workerLoad(id, hb.getInFlight(), hb.getQueued());
                metrics.workerCredit(id, loads.limit(id, hb.getCapacity(), config.prefetch()) - hb.getCapacity());
            }
        }
        Set<String> lost = transitions(next);
        // WorkerState holds only what routing tables depend on, so equal maps mean the router stands.
        if (!next.equals(workers)) {
            replace(router.withWorkers(next));
        }
        workers = next;
        return lost;
    }

    /** Logs and counts each change of liveness, joins included; returns the workers that stopped holding tasks. */
    private Set<String> transitions(Map<String, WorkerState> next) {
        Set<String> lost = new TreeSet<>();
        for (WorkerState before : workers.values()) {
            WorkerState after = next.get(before.id());
            Liveness now = after == null ? Liveness.LEFT : after.liveness();
            if (after == null) {
                loads.forget(before.id());
            }
            if (narrator && now != before.liveness()) {
                if (!before.liveness().canTransitionTo(now)) {
                    log.warn("Worker {} went from {} to {}, which the liveness state machine does not expect",
                            before.id(), before.liveness(), now);
                }
                log.info("Worker {} is now {} (was {})", before.id(), now, before.liveness());
                metrics.livenessChanged(before.id(), now.name());
            }
            boolean wasHolding = Liveness.keepsInFlight().contains(before.liveness());
            boolean restarted = after != null && after.incarnation() != before.incarnation();
            if ((wasHolding && !Liveness.keepsInFlight().contains(now)) || restarted) {
                lost.add(before.id());
            }
        }
        for (WorkerState after : next.values()) {
            if (narrator && !workers.containsKey(after.id())) {
                log.info("Worker {} is now {} (labels {}, capacity {})", after.id(), after.liveness(),
                        after.labels(), after.capacity());
                metrics.livenessChanged(after.id(), after.liveness().name());
            }
        }
        return lost;
    }

    private List<WorkerSighting> readView() {
        List<WorkerSighting> sightings = new ArrayList<>();
        try (KeyValueIterator<String, WorkerSighting> it = view.all()) {
            it.forEachRemaining(entry -> sightings.add(entry.value));
        }
        return sightings;
    }

    /** Whether heartbeats are read at all: their input's silence is not the workers' (see {@link HeartbeatFlow}). */
    private void observeFlow(List<WorkerSighting> sightings, long nowMs) {
        long freshest = Long.MIN_VALUE;
        for (WorkerSighting sighting : sightings) {
            freshest = Math.max(freshest, sighting.getReceivedAt().toEpochMilli());
        }
        if (!sightings.isEmpty() && flow.observe(freshest, nowMs) && narrator) {
            if (flow.quiet()) {
                log.warn("No heartbeat read for {} ms: until heartbeats flow again, and for {} after, no worker "
                        + "heard from in the last {} before is judged dead", nowMs - freshest, policy.deadAfter(),
                        policy.deadAfter());
            } else {
                log.info("Heartbeats are read again: for {} no worker heard from before is judged dead (the "
                        + "backlog first)", policy.deadAfter());
            }
        }
    }

    private WorkerState judge(WorkerSighting sighting, long nowMs, WorkerFlags flags) {
        WorkerHeartbeat hb = sighting.getHeartbeat();
        LivenessPolicy.Announced announced = LivenessPolicy.Announced.valueOf(hb.getStatus().name());
        if (announced == LivenessPolicy.Announced.READY && flags.draining(hb.getWorkerId())) {
            announced = LivenessPolicy.Announced.DRAINING; // an operator's drain counts as the worker's own
        }
        long lastSeen = sighting.getReceivedAt().toEpochMilli();
        WorkerState before = workers.get(hb.getWorkerId());
        Liveness liveness = flow.temper(policy.judge(announced, lastSeen, nowMs),
                before == null ? null : before.liveness(), lastSeen, nowMs);
        if (liveness == Liveness.READY && sighting.getFirstSeenAt() == sighting.getReceivedAt().toEpochMilli()) {
            liveness = Liveness.JOINING; // heard from once: routed to, but not yet confirmed by a second heartbeat
        }
        return new WorkerState(hb.getWorkerId(), hb.getIncarnation(), liveness, hb.getLabels(), hb.getCapacity(),
                hb.getWeight(), flags.cordoned(hb.getWorkerId()), flags.breakerOpen(hb.getWorkerId()));
    }

    /** Operator and breaker flags that take a worker out of routing. */
    interface WorkerFlags {
        WorkerFlags NONE = new WorkerFlags() {
        };

        default boolean cordoned(String workerId) {
            return false;
        }

        default boolean draining(String workerId) {
            return false;
        }

        default boolean breakerOpen(String workerId) {
            return false;
        }
    }
}
