package io.kdispatch.dispatcher.quota;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fleet-wide limits as configured: tasks in flight (assigned, not yet ended) per task type and per
 * tenant, and per affinity key (one limit for every key); and optional token-bucket rates for the same
 * scopes. How a stream task enforces its share is {@link QuotaShare}'s business; this value only says what
 * the operator asked for. Immutable; a limit of 0 and a null rate mean "none".
 */
public final class QuotaLimits {
    /** Largest limit (and burst) accepted. */
    public static final int MAX_LIMIT = 1_000_000;
    /** No limits at all. */
    public static final QuotaLimits NONE = new QuotaLimits(Map.of(), Map.of(), 0, Map.of(), Map.of(), null);

    private final Map<Scope, Map<String, Integer>> limits = new EnumMap<>(Scope.class);
    private final Map<Scope, Map<String, Rate>> rates = new EnumMap<>(Scope.class);
    private final Map<Scope, Set<String>> configured = new EnumMap<>(Scope.class);
    private final int keyLimit;
    private final Rate keyRate;

    /**
     * @param typeLimits in-flight limit per task type (0 or absent: none)
     * @param tenantLimits in-flight limit per tenant (0 or absent: none)
     * @param keyLimit in-flight limit of every affinity key (0: none)
     * @param typeRates rate per task type (absent: none)
     * @param tenantRates rate per tenant (absent: none)
     * @param keyRate rate of every affinity key (null: none)
     */
    public QuotaLimits(Map<String, Integer> typeLimits, Map<String, Integer> tenantLimits, int keyLimit,
                       Map<String, Rate> typeRates, Map<String, Rate> tenantRates, Rate keyRate) {
        limits.put(Scope.TYPE, positive(typeLimits, "task type"));
        limits.put(Scope.TENANT, positive(tenantLimits, "tenant"));
        rates.put(Scope.TYPE, Map.copyOf(typeRates));
        rates.put(Scope.TENANT, Map.copyOf(tenantRates));
        this.keyLimit = check(keyLimit, "affinity key");
        this.keyRate = keyRate;
        for (Scope s : Scope.values()) {
            Set<String> names = new TreeSet<>(limits.getOrDefault(s, Map.of()).keySet());
            names.addAll(rates.getOrDefault(s, Map.of()).keySet());
            configured.put(s, java.util.Collections.unmodifiableSet(names));
        }
    }

    /** The in-flight limit of {@code name} in {@code scope}, or 0 when it has none. */
    public int limit(Scope scope, String name) {
        if (scope == Scope.KEY) {
            return name == null ? 0 : keyLimit;
        }
        return name == null ? 0 : limits.get(scope).getOrDefault(name, 0);
    }

    /** The rate of {@code name} in {@code scope}, or null when it has none. */
    public Rate rate(Scope scope, String name) {
        if (scope == Scope.KEY) {
            return name == null ? null : keyRate;
        }
        return name == null ? null : rates.get(scope).get(name);
    }

    /** Names with a limit or a rate in {@code scope} (type or tenant), sorted: the ones metrics tag by name. */
    public Set<String> configured(Scope scope) {
        return configured.get(scope);
    }

    /** True when nothing is limited: the board then costs one field read per decision. */
    public boolean none() {
        return keyLimit == 0 && keyRate == null && limits.values().stream().allMatch(Map::isEmpty)
                && rates.values().stream().allMatch(Map::isEmpty);
    }

    /** These limits with {@code overrides} on top (run-time control); see {@link Overrides}. */
    public QuotaLimits with(Overrides overrides) {
        if (overrides.isEmpty()) {
            return this;
        }
        return new QuotaLimits(merged(limits.get(Scope.TYPE), overrides.limits().get(Scope.TYPE)),
                merged(limits.get(Scope.TENANT), overrides.limits().get(Scope.TENANT)),
                overrides.keyLimit() != null ? overrides.keyLimit() : keyLimit,
                mergedRates(rates.get(Scope.TYPE), overrides.rates().get(Scope.TYPE)),
                mergedRates(rates.get(Scope.TENANT), overrides.rates().get(Scope.TENANT)),
                overrides.keyRate() != null ? overrides.keyRate().rate() : keyRate);
    }

    /**
     * Run-time overrides: a limit of 0 lifts a configured limit, a {@link OptionalRate#NONE} lifts a configured
     * rate; a key that is absent keeps the configured value.
     */
    public record Overrides(Map<Scope, Map<String, Integer>> limits, Map<Scope, Map<String, OptionalRate>> rates,
                            Integer keyLimit, OptionalRate keyRate) {
        public static final Overrides NONE = new Overrides(Map.of(), Map.of(), null, null);

        public Overrides {
            limits = Map.copyOf(limits);
            rates = Map.copyOf(rates);
        }

        boolean isEmpty() {
            return limits.values().stream().allMatch(Map::isEmpty) && rates.values().stream().allMatch(Map::isEmpty)
                    && keyLimit == null && keyRate == null;
        }
    }

    /** A rate or "none", as a setting's value (a null would mean "not set"). */
    public record OptionalRate(Rate rate) {
        public static final OptionalRate NONE = new OptionalRate(null);

        public String format() {
            return rate == null ? "none" : rate.format();
        }

        public static OptionalRate parse(String text) {
            String t = text == null ? "" : text.trim();
            return t.isEmpty() || t.equalsIgnoreCase("none") ? NONE : new OptionalRate(Rate.parse(t));
        }
    }

    private static Map<String, Integer> merged(Map<String, Integer> base, Map<String, Integer> over) {
        Map<String, Integer> m = new HashMap<>(base);
        if (over != null) {
            m.putAll(over);
        }
        m.values().removeIf(v -> v == 0);
        return m;
    }

    private static Map<String, Rate> mergedRates(Map<String, Rate> base, Map<String, OptionalRate> over) {
        Map<String, Rate> m = new HashMap<>(base);
        if (over != null) {
            over.forEach((name, r) -> {
                if (r.rate() == null) {
                    m.remove(name);
                } else {
                    m.put(name, r.rate());
                }
            });
        }
        return m;
    }

    private static Map<String, Integer> positive(Map<String, Integer> in, String what) {
        Map<String, Integer> out = new HashMap<>();
        in.forEach((name, limit) -> {
            if (check(limit, what + " " + name) > 0) {
                out.put(Objects.requireNonNull(name, "name"), limit);
            }
        });
        return Map.copyOf(out);
    }

    private static int check(int limit, String what) {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("the in-flight limit of " + what + " must be between 0 (none) and "
                    + MAX_LIMIT + ", was " + limit);
        }
        return limit;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuotaLimits q && limits.equals(q.limits) && rates.equals(q.rates) && keyLimit == q.keyLimit
                && Objects.equals(keyRate, q.keyRate);
    }

    @Override
    public int hashCode() {
        return Objects.hash(limits, rates, keyLimit, keyRate);
    }

    @Override
    public String toString() {
        return "QuotaLimits{limits=" + limits + ", rates=" + rates + ", key=" + keyLimit + ", keyRate=" + keyRate + "}";
    }
}
