package io.kdispatch.dispatcher.quota;

import java.util.Objects;

/**
 * The start-up side of quotas and fairness: how a task's tenant is found, the limits and rates from the
 * configuration, which the control topic's {@code quota.*} and {@code rate.*} keys override at run time, and
 * the wait queue's tenant weights and aging ({@code fair.weight.*}, {@code queue.aging.ms}), likewise.
 */
public record QuotaSettings(Tenancy tenancy, QuotaLimits limits, Fairness fairness) {
    /** The default tenant header, no limits, equal weights and the default aging. */
    public static final QuotaSettings DEFAULTS = new QuotaSettings(Tenancy.DEFAULTS, QuotaLimits.NONE);

    public QuotaSettings {
        Objects.requireNonNull(tenancy, "tenancy");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(fairness, "fairness");
    }

    /** These limits with the default fairness. */
    public QuotaSettings(Tenancy tenancy, QuotaLimits limits) {
        this(tenancy, limits, Fairness.DEFAULTS);
    }

    /** A copy with other fairness rules. */
    public QuotaSettings withFairness(Fairness newFairness) {
        return new QuotaSettings(tenancy, limits, newFairness);
    }
}
