package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.breaker.Breaker;
import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.breaker.BreakerState;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.BreakerStateName;
import io.kdispatch.schemas.WorkerBreaker;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;

/**
 * This stream task's circuit breakers, one per worker, kept in the {@code breakers} store so that they
 * survive a restart (changelogged like any state), with an in-memory copy for the hot path.
 *
 * <p>Each partition judges on the results it sees, like Envoy's per-proxy outlier detection: no
 * cross-partition traffic, and a worker failing everyone's tasks trips every partition's breaker
 * within its own window. The cost is that with P partitions each breaker sees 1/P of the results, so
 * detection needs P times as many results overall; the window and minimum are per partition.
 */
final class BreakerBoard {
    private final KeyValueStore<String, WorkerBreaker> store;
    private BreakerPolicy policy;
    private final DispatchMetrics metrics;
    private final Logger log;
    private final Map<String, Breaker> breakers = new HashMap<>();

    BreakerBoard(KeyValueStore<String, WorkerBreaker> store, BreakerPolicy policy, DispatchMetrics metrics,
                 Logger log) {
        this.store = store;
        this.policy = policy;
        this.metrics = metrics;
        this.log = log;
        try (KeyValueIterator<String, WorkerBreaker> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, WorkerBreaker> e = it.next();
                breakers.put(e.key, fromRecord(e.value));
            }
        }
    }

    /** Takes new thresholds (run-time control); they apply from the next result. */
    void repolicy(BreakerPolicy next) {
        if (!next.equals(policy)) {
            log.info("Breaker policy is now {}", next);
            policy = next;
        }
    }

    /** True when the worker's breaker admits no task now (open, or half-open with its probes out). */
    boolean unavailable(String workerId) {
        Breaker b = breakers.get(workerId);
        return b != null && !b.admits(policy);
    }

    /**
     * Counts one result of the worker.
     *
     * @param fleetSize workers known, for the ejection cap
     * @return true when the breaker changed state
     */
    boolean record(String workerId, boolean failure, long nowMs, int fleetSize) {
        Breaker before = breakers.getOrDefault(workerId, Breaker.closed(workerId));
        boolean mayEject = policy.mayEject(openCount(), fleetSize);
        Breaker after = before.record(failure, nowMs, policy, mayEject);
        if (!mayEject && before.state() == BreakerState.CLOSED && after.failureRate(policy) >= policy.failureRateThreshold()
                && after.outcomes().size() >= policy.minimumCalls()) {
            log.debug("Breaker of {} would open but {}% of the fleet is already ejected", workerId,
                    policy.maxEjectedPercent());
        }
        return put(before, after, nowMs);
    }

    /**
     * A task went to the worker (a probe when half-open).
     *
     * @return true when that was the last probe allowed, so the worker must leave routing
     */
    boolean sent(String workerId) {
        Breaker b = breakers.get(workerId);
        if (b != null && b.state() == BreakerState.HALF_OPEN) {
            Breaker after = b.sent();
            put(b, after, 0);
            return !after.admits(policy);
        }
        return false;
    }

    /** Moves open breakers whose wait is over to half-open; true when any changed. */
    boolean tick(long nowMs) {
        boolean changed = false;
        for (Breaker b : breakers.values().toArray(Breaker[]::new)) {
            changed |= put(b, b.tick(nowMs), nowMs);
        }
        return changed;
    }

    private int openCount() {
        int open = 0;
        for (Breaker b : breakers.values()) {
            open += b.state() == BreakerState.CLOSED ? 0 : 1;
        }
        return open;
    }

    private boolean put(Breaker before, Breaker after, long nowMs) {
        if (after.equals(before)) {
            return false;
        }
        breakers.put(after.workerId(), after);
        store.put(after.workerId(), toRecord(after));
        if (after.state() != before.state()) {
            log.info("Breaker of worker {} is now {} (was {}){}", after.workerId(), after.state(), before.state(),
                    after.state() == BreakerState.OPEN ? "; probing in " + (after.openUntil() - nowMs) + " ms" : "");
            metrics.breakerChanged(after.workerId(), before.state().name(), after.state().name());
            return true;
        }
        return false;
    }

    private static Breaker fromRecord(WorkerBreaker r) {
        return new Breaker(r.getWorkerId(), BreakerState.valueOf(r.getState().name()), r.getOutcomes(), r.getTrips(),
                r.getOpenUntil(), r.getProbesSent(), r.getProbeSuccesses());
    }

    private static WorkerBreaker toRecord(Breaker b) {
        return new WorkerBreaker(b.workerId(), BreakerStateName.valueOf(b.state().name()), b.outcomes(), b.trips(),
                b.openUntil(), b.probesSent(), b.probeSuccesses());
    }
}
