package io.kdispatch.dispatcher.quota;

import java.util.Objects;

/**
 * The start-up side of quotas: how a task's tenant is found, and the limits and rates from the
 * configuration, which the control topic's {@code quota.*} and {@code rate.*} keys override at run time.
 */
public record QuotaSettings(Tenancy tenancy, QuotaLimits limits) {
    /** The default tenant header and no limits. */
    public static final QuotaSettings DEFAULTS = new QuotaSettings(Tenancy.DEFAULTS, QuotaLimits.NONE);

    public QuotaSettings {
        Objects.requireNonNull(tenancy, "tenancy");
        Objects.requireNonNull(limits, "limits");
    }
}
