package io.kdispatch.dispatcher.control;

import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The run-time settings from the control topic, as one immutable value: routing overrides, breaker
 * overrides, per-worker cordon and drain, paused task types and feature flags.
 *
 * <p>Built from the key → value map the control store holds ({@link #of}). Each entry is validated with
 * {@link ControlKeys}; an entry that fails (a hand-written record, a key from a newer version) is left
 * out and listed in {@link #invalid()} instead of breaking anything. Thread-safe (immutable).
 */
public final class ControlState {
    /** No settings: every default applies. */
    public static final ControlState EMPTY = of(Map.of());

    private final Map<String, String> settings;
    private final Map<String, String> invalid;
    private final Map<String, WorkerControl> workers;
    private final Set<String> paused;
    private final Map<String, Boolean> flags;
    private final BreakerOverrides breaker;

    private ControlState(Map<String, String> settings, Map<String, String> invalid) {
        this.settings = Map.copyOf(settings);
        this.invalid = Map.copyOf(invalid);
        Map<String, WorkerControl> w = new TreeMap<>();
        Set<String> p = new TreeSet<>();
        Map<String, Boolean> f = new TreeMap<>();
        settings.forEach((key, value) -> {
            String workerId = ControlKeys.workerIdOf(key);
            String taskType = ControlKeys.taskTypeOf(key);
            String flag = ControlKeys.flagOf(key);
            if (workerId != null) {
                w.put(workerId, WorkerControl.parse(value));
            } else if (taskType != null && Boolean.parseBoolean(value)) {
                p.add(taskType);
            } else if (flag != null) {
                f.put(flag, Boolean.parseBoolean(value));
            }
        });
        this.workers = Map.copyOf(w);
        this.paused = Set.copyOf(p);
        this.flags = Map.copyOf(f);
        this.breaker = new BreakerOverrides(integer(ControlKeys.BREAKER_FAILURE_RATE_THRESHOLD),
                integer(ControlKeys.BREAKER_MINIMUM_CALLS),
                settings.containsKey(ControlKeys.BREAKER_OPEN_DURATION_MS)
                        ? Long.valueOf(settings.get(ControlKeys.BREAKER_OPEN_DURATION_MS)) : null,
                integer(ControlKeys.BREAKER_MAX_EJECTED_PERCENT));
    }

    /**
     * The state for these raw settings. Null values are ignored (a deleted setting); invalid entries go
     * to {@link #invalid()}.
     */
    public static ControlState of(Map<String, String> raw) {
        Map<String, String> valid = new TreeMap<>();
        Map<String, String> invalid = new TreeMap<>();
        raw.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            try {
                valid.put(key, ControlKeys.normalize(key, value));
            } catch (IllegalArgumentException e) {
                invalid.put(key, e.getMessage());
            }
        });
        return new ControlState(valid, invalid);
    }

    /** Every valid setting, key → canonical value, sorted by key. */
    public Map<String, String> settings() {
        return new TreeMap<>(settings);
    }

    /** Settings that were refused, key → reason. Empty unless someone bypassed validation. */
    public Map<String, String> invalid() {
        return new TreeMap<>(invalid);
    }

    /**
     * {@code base} with the routing overrides applied: strategy, A/B split ({@code none} turns it off),
     * bounded-load factor and prefetch. Returns {@code base} itself when nothing routing-related is set.
     */
    public RoutingConfig routing(RoutingConfig base) {
        RoutingConfig c = base;
        String strategy = settings.get(ControlKeys.ROUTING_STRATEGY);
        if (strategy != null) {
            c = c.withStrategy(Strategy.parse(strategy));
        }
        String ab = settings.get(ControlKeys.ROUTING_AB_STRATEGY);
        String percent = settings.get(ControlKeys.ROUTING_AB_PERCENT);
        if (ab != null || percent != null) {
            Strategy abStrategy = ab == null ? c.abStrategy() : ControlKeys.NONE.equals(ab) ? null : Strategy.parse(ab);
            c = c.withAbSplit(abStrategy, percent == null ? c.abPercent() : Integer.parseInt(percent));
        }
        String factor = settings.get(ControlKeys.ROUTING_BOUNDED_LOAD_FACTOR);
        if (factor != null) {
            c = c.withBoundedLoadFactor(Double.parseDouble(factor));
        }
        String prefetch = settings.get(ControlKeys.ROUTING_PREFETCH);
        if (prefetch != null) {
            c = c.withPrefetch(Integer.parseInt(prefetch));
        }
        return c.equals(base) ? base : c;
    }

    /** Breaker thresholds set at run time (null components are not overridden). */
    public BreakerOverrides breaker() {
        return breaker;
    }

    /** What an operator asked of {@code workerId}; {@link WorkerControl#ACTIVE} when nothing. */
    public WorkerControl worker(String workerId) {
        return workers.getOrDefault(workerId, WorkerControl.ACTIVE);
    }

    /** Workers with a non-default control state, sorted by ID. */
    public Map<String, WorkerControl> workers() {
        return new TreeMap<>(workers);
    }

    /** True when {@code workerId} is cordoned (not when draining; see {@link #excluded}). */
    public boolean cordoned(String workerId) {
        return worker(workerId) == WorkerControl.CORDONED;
    }

    /** True when {@code workerId} is draining. */
    public boolean draining(String workerId) {
        return worker(workerId) == WorkerControl.DRAINING;
    }

    /** True when {@code workerId} must get no new tasks: cordoned or draining. */
    public boolean excluded(String workerId) {
        return worker(workerId).excludesNewTasks();
    }

    /** True when tasks of {@code taskType} must wait (park) instead of being routed. */
    public boolean paused(String taskType) {
        return paused.contains(taskType);
    }

    /** The paused task types, sorted. */
    public Set<String> pausedTaskTypes() {
        return new TreeSet<>(paused);
    }

    /** The value of feature flag {@code name}; false when unset. */
    public boolean flag(String name) {
        return flags.getOrDefault(name, false);
    }

    /** Every flag that is set, sorted by name. */
    public Map<String, Boolean> flags() {
        return new TreeMap<>(flags);
    }

    private Integer integer(String key) {
        String v = settings.get(key);
        return v == null ? null : Integer.valueOf(v);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ControlState other && settings.equals(other.settings) && invalid.equals(other.invalid);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    @Override
    public String toString() {
        return "ControlState" + new TreeMap<>(settings);
    }
}
