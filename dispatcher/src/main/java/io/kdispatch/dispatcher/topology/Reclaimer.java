package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.LossCause;
import io.kdispatch.dispatcher.health.Liveness;
import io.kdispatch.dispatcher.routing.WorkerState;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import org.slf4j.Logger;

/**
 * Finds the assigned attempts that will never get a result, on every tick: those held by a worker that
 * is dead, gone or left; those sent to an incarnation the worker no longer runs (it restarted); and
 * those whose lease ran out. It judges the worker view as it is now against the incarnation each
 * attempt was sent to, not against what this instance saw before, so it does not matter whether the
 * worker restarted while this instance was down, or which instance sent the attempt.
 *
 * <p>Right after its stream task opens (a failover, a restart) it waits {@code settle} before reclaiming
 * anything: the results that arrived while nobody processed this partition are still ahead of it in the
 * input, and an attempt released before its result is read runs twice (the fault suite measured one task
 * in ten run twice when a worker and the dispatcher instance owning its partition died together).
 */
final class Reclaimer {
    private final AttemptIndex index;
    private final FleetTracker fleet;
    private final Logger log;
    private final long settledAtMs;

    /**
     * @param openedAtMs when the stream task opened
     * @param settle how long after that nothing is reclaimed (the liveness setting {@code suspect.after}:
     *     recovery stays bounded by liveness settings)
     */
    Reclaimer(AttemptIndex index, FleetTracker fleet, Logger log, long openedAtMs, Duration settle) {
        this.index = index;
        this.fleet = fleet;
        this.log = log;
        this.settledAtMs = openedAtMs + settle.toMillis();
    }

    /**
     * Hands each lost attempt's task ID and cause to {@code lose}, at most {@code limit} per call (the
     * rest follow on the next tick).
     */
    void reclaim(long nowMs, int limit, BiConsumer<String, LossCause> lose) {
        if (nowMs < settledAtMs) {
            return; // the backlog of results first
        }
        int budget = limit;
        for (Map.Entry<String, Set<Long>> holder : index.holders().entrySet()) {
            WorkerState state = fleet.state(holder.getKey());
            for (long incarnation : holder.getValue()) {
                LossCause cause = cause(state, incarnation);
                if (cause != null && budget > 0) {
                    List<String> lost = index.heldBy(holder.getKey(), incarnation);
                    lost = lost.subList(0, Math.min(budget, lost.size()));
                    budget -= lost.size();
                    log.info("Re-dispatching {} task(s) held by {} (incarnation {}): {}", lost.size(), holder.getKey(),
                            incarnation, cause.label());
                    lost.forEach(taskId -> lose.accept(taskId, cause));
                }
            }
        }
        List<String> expired = index.expired(nowMs, budget);
        if (!expired.isEmpty()) {
            log.info("Re-dispatching {} task(s) whose lease expired", expired.size());
            expired.forEach(taskId -> lose.accept(taskId, LossCause.LEASE_EXPIRED));
        }
    }

    /** Why attempts sent to {@code incarnation} of a worker now in {@code state} are lost, or null. */
    static LossCause cause(WorkerState state, long incarnation) {
        if (state == null || !Liveness.keepsInFlight().contains(state.liveness())) {
            return LossCause.WORKER_LOST;
        }
        if (incarnation != 0 && state.incarnation() != 0 && incarnation != state.incarnation()) {
            return LossCause.NEW_INCARNATION;
        }
        return null;
    }
}
