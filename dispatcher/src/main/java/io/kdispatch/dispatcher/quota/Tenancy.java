package io.kdispatch.dispatcher.quota;

import java.util.Map;
import java.util.Objects;

/**
 * Which tenant a task belongs to: the value of one task header ({@code tenant.header}, default
 * {@value #DEFAULT_HEADER}), or {@code tenant.default} ({@value #DEFAULT_TENANT}) when the header is absent or
 * blank. The one place a tenant is derived; the attempt lifecycle, the quotas and the metrics read it from
 * the task's facts. The {@code Task} schema has no tenant field: the headers map carries it, like the trace
 * context, so no schema change was needed and old producers keep working (their tasks are the default tenant).
 *
 * @param header the task header naming the tenant
 * @param defaultTenant the tenant of a task without that header
 */
public record Tenancy(String header, String defaultTenant) {
    public static final String DEFAULT_HEADER = "tenant";
    public static final String DEFAULT_TENANT = "default";
    /** Longest tenant name kept; a longer header value is cut (it is a map key, a reason and a tag value). */
    public static final int MAX_TENANT_LENGTH = 200;
    /** Header and default tenant as shipped. */
    public static final Tenancy DEFAULTS = new Tenancy(DEFAULT_HEADER, DEFAULT_TENANT);

    public Tenancy {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("tenant.header must name a task header, was '" + header + "'");
        }
        if (defaultTenant == null || defaultTenant.isBlank() || defaultTenant.length() > MAX_TENANT_LENGTH) {
            throw new IllegalArgumentException("tenant.default must be 1-" + MAX_TENANT_LENGTH
                    + " characters, not blank, was '" + defaultTenant + "'");
        }
    }

    /** The tenant of a task with these headers (null: none). */
    public String tenantOf(Map<String, String> headers) {
        String value = headers == null ? null : headers.get(header);
        if (value == null || value.isBlank()) {
            return defaultTenant;
        }
        return value.length() > MAX_TENANT_LENGTH ? value.substring(0, MAX_TENANT_LENGTH) : value;
    }

    /** Null-safe equality of names, for callers comparing a tenant with the default. */
    public boolean isDefault(String tenant) {
        return Objects.equals(defaultTenant, tenant);
    }
}
