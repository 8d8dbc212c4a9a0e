package io.kdispatch.dispatcher.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The quota meters of one instance, summed over its stream tasks: tasks waiting by reason class, tasks in
 * flight per configured task type and tenant against the configured fleet-wide limit, and each tenant's
 * wait before dispatch. Every stream task hands its whole snapshot each tick, so a closed stream task or a
 * quota removed at run time drops out. Tag values are bounded by the caller: reason classes are an enum,
 * names are configured types and tenants, the default tenant, or {@code other}. Thread-safe.
 */
final class QuotaMeters {
    static final String WAITING = "kdispatch.tasks.waiting";
    static final String IN_FLIGHT = "kdispatch.quota.in.flight";
    static final String LIMIT = "kdispatch.quota.limit";
    static final String WAIT = "kdispatch.tenant.wait";

    private record Name(String scope, String name) {
    }

    private final MeterRegistry registry;
    private final Map<String, Map<String, Long>> waitingByTask = new ConcurrentHashMap<>();
    private final Map<String, Map<Name, QuotaUse>> usesByTask = new ConcurrentHashMap<>();
    private final Map<String, Boolean> waitingGauges = new ConcurrentHashMap<>();
    private final Map<Name, Boolean> useGauges = new ConcurrentHashMap<>();
    private final Map<String, Timer> waits = new ConcurrentHashMap<>();

    QuotaMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    void waiting(String streamTask, Map<String, Long> byReason) {
        if (byReason.isEmpty()) {
            waitingByTask.remove(streamTask);
            return;
        }
        waitingByTask.put(streamTask, Map.copyOf(byReason));
        byReason.keySet().forEach(reason -> waitingGauges.computeIfAbsent(reason, r -> {
            Gauge.builder(WAITING, waitingByTask, m -> m.values().stream().mapToLong(v -> v.getOrDefault(r, 0L)).sum())
                    .tag("reason", r).description("tasks waiting in the dispatcher, by reason class")
                    .register(registry);
            return true;
        }));
    }

    void quotaUse(String streamTask, List<QuotaUse> uses) {
        if (uses.isEmpty()) {
            usesByTask.remove(streamTask);
            return;
        }
        Map<Name, QuotaUse> byName = new ConcurrentHashMap<>();
        uses.forEach(u -> byName.put(new Name(u.scope(), u.name()), u));
        usesByTask.put(streamTask, byName);
        byName.keySet().forEach(n -> useGauges.computeIfAbsent(n, this::register));
    }

    void waited(String tenant, long millis) {
        waits.computeIfAbsent(tenant, t -> Timer.builder(WAIT).tag("tenant", t)
                .description("time a fresh task waited in the dispatcher before it went to a worker")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry)).record(millis, TimeUnit.MILLISECONDS);
    }

    private boolean register(Name n) {
        Gauge.builder(IN_FLIGHT, usesByTask, m -> m.values().stream().mapToLong(u -> inFlight(u.get(n))).sum())
                .tags("scope", n.scope(), "name", n.name())
                .description("tasks in flight (assigned, not ended) on this instance, per configured type and tenant")
                .register(registry);
        Gauge.builder(LIMIT, usesByTask, m -> m.values().stream().mapToLong(u -> limit(u.get(n))).max().orElse(0))
                .tags("scope", n.scope(), "name", n.name())
                .description("the configured fleet-wide in-flight limit (0: none)").register(registry);
        return true;
    }

    private static long inFlight(QuotaUse u) {
        return u == null ? 0 : u.inFlight();
    }

    private static long limit(QuotaUse u) {
        return u == null ? 0 : u.limit();
    }
}
