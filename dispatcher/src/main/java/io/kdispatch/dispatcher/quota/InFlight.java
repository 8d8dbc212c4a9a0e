package io.kdispatch.dispatcher.quota;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The tasks one stream task has in flight (assigned, not yet ended), counted per task type, tenant and
 * affinity key. Derived state: the attempt index keeps it in step with the attempts store (and rebuilds it
 * with the store's scan on open), so it needs no changelog. Not thread-safe.
 */
public final class InFlight {
    private final Map<Scope, Map<String, Integer>> counts = new EnumMap<>(Scope.class);
    private final Map<Scope, Set<String>> views = new EnumMap<>(Scope.class);
    private final Set<String> tasks = new HashSet<>();

    public InFlight() {
        for (Scope s : Scope.values()) {
            Map<String, Integer> count = new HashMap<>();
            counts.put(s, count);
            views.put(s, java.util.Collections.unmodifiableSet(count.keySet())); // made once: read per decision
        }
    }

    /** {@code taskId} (of this type, tenant and key, which may be null) is now in flight. */
    public void add(String taskId, String type, String tenant, String key) {
        if (tasks.add(taskId)) {
            bump(Scope.TYPE, type, 1);
            bump(Scope.TENANT, tenant, 1);
            bump(Scope.KEY, key, 1);
        }
    }

    /** {@code taskId} is no longer in flight. */
    public void remove(String taskId, String type, String tenant, String key) {
        if (tasks.remove(taskId)) {
            bump(Scope.TYPE, type, -1);
            bump(Scope.TENANT, tenant, -1);
            bump(Scope.KEY, key, -1);
        }
    }

    /** Tasks of {@code name} in {@code scope} in flight here. */
    public int count(Scope scope, String name) {
        return name == null ? 0 : counts.get(scope).getOrDefault(name, 0);
    }

    /** The names with tasks in flight here in {@code scope} (a live, read-only view). */
    public Set<String> names(Scope scope) {
        return views.get(scope);
    }

    /** Every task in flight here. */
    public int total() {
        return tasks.size();
    }

    /** True when {@code taskId} is in flight here (its next attempt takes over its slot). */
    public boolean holds(String taskId) {
        return tasks.contains(taskId);
    }

    private void bump(Scope scope, String name, int by) {
        if (name != null) {
            counts.get(scope).merge(name, by, (a, b) -> a + b == 0 ? null : a + b);
        }
    }
}
