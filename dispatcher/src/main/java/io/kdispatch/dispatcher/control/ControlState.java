package io.kdispatch.dispatcher.control;

import io.kdispatch.dispatcher.config.Setting;
import io.kdispatch.dispatcher.config.Settings;
import io.kdispatch.dispatcher.quota.Fairness;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.Scope;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The run-time settings from the control topic, as one immutable value: routing overrides, breaker
 * overrides, per-worker cordon and drain, paused task types, feature flags, and quotas and rate limits.
 *
 * <p>Built from key → value text ({@link #of}): each entry is validated once, here, with {@link ControlKeys},
 * and kept as its typed value, so applying the state ({@link #routing}, {@link #breaker}) parses nothing
 * and, the catalogue's ranges being the policies' own, cannot fail. An entry that fails validation (a
 * hand-written record, a key from a newer version) is left out and listed in {@link #invalid()} instead.
 * Thread-safe (immutable).
 */
public final class ControlState {
    /** No settings: every default applies. */
    public static final ControlState EMPTY = of(Map.of());

    private final Map<Setting<?>, Object> overrides = new HashMap<>();
    private final Map<String, String> settings = new TreeMap<>();
    private final Map<String, String> invalid = new TreeMap<>();
    private final Map<String, WorkerControl> workers = new TreeMap<>();
    private final Set<String> paused = new TreeSet<>();
    private final Map<String, Boolean> flags = new TreeMap<>();
    private final Map<Scope, Map<String, Integer>> quotaLimits = new EnumMap<>(Scope.class);
    private final Map<Scope, Map<String, QuotaLimits.OptionalRate>> quotaRates = new EnumMap<>(Scope.class);
    private final Map<String, Integer> weights = new TreeMap<>();
    private final BreakerOverrides breaker;
    private final QuotaLimits.Overrides quotas;

    private ControlState(Map<String, String> raw, Map<String, String> rejected) {
        raw.forEach((key, value) -> {
            if (value == null) {
                return;
            }
            try {
                add(ControlKeys.parse(key, value));
            } catch (IllegalArgumentException e) {
                invalid.put(key, e.getMessage());
            }
        });
        invalid.putAll(rejected);
        breaker = new BreakerOverrides(value(Settings.BREAKER_FAILURE_RATE), value(Settings.BREAKER_MINIMUM_CALLS),
                value(Settings.BREAKER_OPEN_MS), value(Settings.BREAKER_MAX_EJECTED));
        quotas = new QuotaLimits.Overrides(quotaLimits, quotaRates, value(Settings.QUOTA_KEY), value(Settings.RATE_KEY));
    }

    /**
     * The state for these raw settings. Null values are ignored (a deleted setting); invalid entries go
     * to {@link #invalid()}.
     */
    public static ControlState of(Map<String, String> raw) {
        return new ControlState(raw, Map.of());
    }

    /**
     * The state for these settings, plus records refused before they got here (key → reason), which
     * {@link #invalid()} lists too.
     */
    public static ControlState of(Map<String, String> raw, Map<String, String> rejected) {
        return new ControlState(raw, rejected);
    }

    private void add(ControlValue v) {
        settings.put(v.key(), v.canonical());
        if (v.setting() != null) {
            overrides.put(v.setting(), v.value());
        } else if (v.pattern() == Settings.WORKER_STATE) {
            workers.put(v.name(), (WorkerControl) v.value());
        } else if (v.pattern() == Settings.TASK_TYPE_PAUSED) {
            if ((Boolean) v.value()) {
                paused.add(v.name());
            }
        } else if (v.pattern() == Settings.FLAG) {
            flags.put(v.name(), (Boolean) v.value());
        } else if (v.pattern() == Settings.QUOTA_TENANT || v.pattern() == Settings.QUOTA_TYPE) {
            quotaLimits.computeIfAbsent(v.pattern() == Settings.QUOTA_TENANT ? Scope.TENANT : Scope.TYPE,
                    s -> new TreeMap<>()).put(v.name(), (Integer) v.value());
        } else if (v.pattern() == Settings.RATE_TENANT || v.pattern() == Settings.RATE_TYPE) {
            quotaRates.computeIfAbsent(v.pattern() == Settings.RATE_TENANT ? Scope.TENANT : Scope.TYPE,
                    s -> new TreeMap<>()).put(v.name(), (QuotaLimits.OptionalRate) v.value());
        } else if (v.pattern() == Settings.FAIR_WEIGHT) {
            weights.put(v.name(), (Integer) v.value());
        }
    }

    /** The value set for a run-time {@code setting}, or null when it is not overridden. */
    @SuppressWarnings("unchecked")
    public <T> T value(Setting<T> setting) {
        return (T) overrides.get(setting);
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
        Strategy strategy = value(Settings.ROUTING_STRATEGY);
        if (strategy != null) {
            c = c.withStrategy(strategy);
        }
        Optional<Strategy> ab = value(Settings.ROUTING_AB_STRATEGY);
        Integer percent = value(Settings.ROUTING_AB_PERCENT);
        if (ab != null || percent != null) {
            c = c.withAbSplit(ab == null ? c.abStrategy() : ab.orElse(null), percent == null ? c.abPercent() : percent);
        }
        Double factor = value(Settings.ROUTING_BOUNDED_LOAD);
        if (factor != null) {
            c = c.withBoundedLoadFactor(factor);
        }
        Integer prefetch = value(Settings.ROUTING_PREFETCH);
        if (prefetch != null) {
            c = c.withPrefetch(prefetch);
        }
        return c.equals(base) ? base : c;
    }

    /** Breaker thresholds set at run time (null components are not overridden). */
    public BreakerOverrides breaker() {
        return breaker;
    }

    /**
     * Quotas and rate limits set at run time, over the configured ones ({@link QuotaLimits#with}): a limit of
     * 0 or a rate of {@code none} lifts a configured one; a deleted key returns to the configuration.
     */
    public QuotaLimits.Overrides quotas() {
        return quotas;
    }

    /** {@code base} (the configured fairness) with the run-time tenant weights and aging on top. */
    public Fairness fairness(Fairness base) {
        return base.with(weights, value(Settings.QUEUE_AGING_MS));
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
        return "ControlState" + settings;
    }
}
