package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.AffinityBinding;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which worker each affinity key is bound to: the {@code bindings} store, changelogged and co-located
 * with the key's routing partition (the key is the routing key), so every task of a key is decided
 * against the same binding, across restarts and rebalances.
 *
 * <p>A binding is written when a key is first placed and when it moves, and refreshed at most once per
 * {@link #REFRESH} while used, so the store is not written per task. A binding idle for
 * {@link #IDLE_EXPIRY} (nothing in flight, nothing waiting, no task for that long) is forgotten by an
 * incremental sweep; the key is then placed afresh, normally on the same worker by consistent hashing.
 * Not thread-safe.
 */
final class AffinityBindings {
    /** How long an unused binding is kept. */
    static final Duration IDLE_EXPIRY = Duration.ofHours(1);
    /** How stale {@code lastUsedAt} may get before a use rewrites it. */
    static final Duration REFRESH = Duration.ofMinutes(5);
    /** Bindings looked at per sweep. */
    static final int SWEEP_BATCH = 200;

    private final KeyValueStore<String, AffinityBinding> store;
    private String sweepFrom;

    AffinityBindings(KeyValueStore<String, AffinityBinding> store) {
        this.store = store;
    }

    /** The worker {@code key} is bound to, or null. */
    String workerOf(String key) {
        AffinityBinding b = store.get(key);
        return b == null ? null : b.getWorkerId();
    }

    /**
     * Records that a task of {@code key} went to {@code workerId}: binds the key when it was unbound or
     * elsewhere (with {@code reason}), else refreshes its last use now and then.
     *
     * @return true when the binding changed (a first placement or a move)
     */
    boolean used(String key, String workerId, String reason, long nowMs) {
        AffinityBinding b = store.get(key);
        if (b == null || !b.getWorkerId().equals(workerId)) {
            store.put(key, new AffinityBinding(key, workerId, nowMs, nowMs, reason));
            return true;
        }
        if (nowMs - b.getLastUsedAt() >= REFRESH.toMillis()) {
            b.setLastUsedAt(nowMs);
            store.put(key, b);
        }
        return false;
    }

    /** Forgets up to {@link #SWEEP_BATCH} idle bindings, resuming where the last sweep stopped. */
    int sweep(long nowMs, Predicate<String> active) {
        List<String> idle = new ArrayList<>();
        int seen = 0;
        try (KeyValueIterator<String, AffinityBinding> it = sweepFrom == null ? store.all()
                : store.range(sweepFrom, null)) {
            while (it.hasNext() && seen < SWEEP_BATCH) {
                KeyValue<String, AffinityBinding> e = it.next();
                seen++;
                if (nowMs - e.value.getLastUsedAt() >= IDLE_EXPIRY.toMillis() && !active.test(e.key)) {
                    idle.add(e.key);
                }
            }
            sweepFrom = it.hasNext() ? it.peekNextKey() : null;
        }
        idle.forEach(store::delete);
        return idle.size();
    }
}
