package io.kdispatch.dispatcher.quota;

import io.kdispatch.schemas.TaskRules;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How waiting tasks share the fleet (the wait queue's rules): each tenant's weight, by which tenants with
 * waiting tasks take turns (a tenant of weight 2 gets twice the dispatches of a tenant of weight 1 while
 * both have tasks that can go), and the aging interval, after which a waiting task goes ahead of its
 * tenant's younger tasks whatever their priority. Immutable.
 *
 * @param weights weight per tenant, 1 to {@link #MAX_WEIGHT}; a tenant not named has {@link #DEFAULT_WEIGHT}
 * @param agingMs a task waiting this long goes ahead of its tenant's younger tasks; 0 switches aging off
 */
public record Fairness(Map<String, Integer> weights, long agingMs) {
    /** The weight of a tenant that has none configured. */
    public static final int DEFAULT_WEIGHT = 1;
    /** Largest weight accepted: a tenant of this weight gets 1,000 dispatches for every one of weight 1. */
    public static final int MAX_WEIGHT = TaskRules.MAX_TENANT_WEIGHT;
    /** Default aging: a minute. */
    public static final Duration DEFAULT_AGING = Duration.ofMinutes(1);
    /** Longest aging accepted (a day, like the other durations, so now plus it cannot overflow). */
    public static final Duration MAX_AGING = Duration.ofDays(1);
    /** Equal weights and the default aging. */
    public static final Fairness DEFAULTS = new Fairness(Map.of(), DEFAULT_AGING.toMillis());

    public Fairness {
        Objects.requireNonNull(weights, "weights");
        weights.forEach((tenant, w) -> check(Objects.requireNonNull(tenant, "tenant"), w));
        weights = Map.copyOf(weights);
        if (agingMs < 0 || agingMs > MAX_AGING.toMillis()) {
            throw new IllegalArgumentException("the queue's aging must be between 0 (off) and "
                    + MAX_AGING.toMillis() + " ms, was " + agingMs);
        }
    }

    /** The weight of {@code tenant}. */
    public int weight(String tenant) {
        return weights.getOrDefault(tenant, DEFAULT_WEIGHT);
    }

    /** True when aging is on. */
    public boolean aging() {
        return agingMs > 0;
    }

    /**
     * These rules with run-time overrides on top: each weight named replaces the configured one; a null
     * {@code aging} keeps the configured aging.
     */
    public Fairness with(Map<String, Integer> weightOverrides, Long aging) {
        if (weightOverrides.isEmpty() && aging == null) {
            return this;
        }
        Map<String, Integer> merged = new HashMap<>(weights);
        merged.putAll(weightOverrides);
        return new Fairness(merged, aging != null ? aging : agingMs);
    }

    private static void check(String tenant, Integer weight) {
        if (weight == null || weight < 1 || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("the weight of tenant " + tenant + " must be between 1 and "
                    + MAX_WEIGHT + ", was " + weight);
        }
    }
}
