package io.kdispatch.dispatcher.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@link DispatchMetrics} on Micrometer. Meter names follow Prometheus conventions once exported
 * (dots become underscores, counters gain {@code _total}).
 */
public final class MicrometerDispatchMetrics implements DispatchMetrics {
    public static final String ROUTED = "kdispatch.tasks.routed";
    public static final String PARKED = "kdispatch.tasks.parked";
    public static final String DEAD_LETTERED = "kdispatch.tasks.dead.lettered";
    public static final String REDISPATCHED = "kdispatch.tasks.redispatched";
    public static final String AFFINITY_BOUND = "kdispatch.affinity.bindings";
    public static final String RESULTS = "kdispatch.results.accepted";
    public static final String STALE_RESULTS = "kdispatch.results.stale";
    public static final String REJECTED_HEARTBEATS = "kdispatch.heartbeats.rejected";
    public static final String BREAKER_OPEN = "kdispatch.worker.breaker.open";
    public static final String BREAKER_TRANSITIONS = "kdispatch.breaker.transitions";
    public static final String LIVENESS = "kdispatch.worker.liveness";
    public static final String DECISION_TIME = "kdispatch.decision.duration";
    public static final String TASK_LATENCY = "kdispatch.task.latency";
    public static final String PENDING = "kdispatch.tasks.pending";
    public static final String WORKER_IN_FLIGHT = "kdispatch.worker.reported.in.flight";
    public static final String WORKER_QUEUED = "kdispatch.worker.reported.queued";
    public static final String WORKER_CREDIT = "kdispatch.worker.credit";
    private static final String[] LIVENESS_STATES = {"JOINING", "READY", "SUSPECT", "DEAD", "DRAINING", "LEFT"};
    public static final String CONFIG_CHANGES = "kdispatch.config.changes";
    public static final String CONFIG_REJECTED = "kdispatch.config.rejected";
    public static final String WAITING = QuotaMeters.WAITING;
    public static final String QUOTA_IN_FLIGHT = QuotaMeters.IN_FLIGHT;
    public static final String QUOTA_LIMIT = QuotaMeters.LIMIT;
    public static final String TENANT_WAIT = QuotaMeters.WAIT;

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> breakersOpen = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<String>> liveness = new ConcurrentHashMap<>();
    private final Map<String, Long> pendingByTask = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger[]> loads = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> credits = new ConcurrentHashMap<>();
    private final Timer decisions;
    private final Timer latency;
    private final QuotaMeters quotas;

    public MicrometerDispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.quotas = new QuotaMeters(registry);
        this.decisions = Timer.builder(DECISION_TIME).description("time to route one task attempt")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.latency = Timer.builder(TASK_LATENCY).description("submit to successful result")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofMinutes(10)).register(registry);
        Gauge.builder(PENDING, pendingByTask, m -> m.values().stream().mapToLong(Long::longValue).sum())
                .description("tasks waiting for an eligible worker").register(registry);
    }

    // Counters on the per-record path are looked up once per tag value, not built per call.
    private final Map<String, Counter> routedByRule = new ConcurrentHashMap<>();
    private final Map<String, Counter> resultsByStatus = new ConcurrentHashMap<>();

    @Override
    public void routed(String rule) {
        routedByRule.computeIfAbsent(rule, r -> registry.counter(ROUTED, "rule", r)).increment();
    }

    @Override
    public void parked(String reason) {
        registry.counter(PARKED).increment(); // no reason tag: reasons name workers and counts, unbounded
    }

    @Override
    public void deadLettered(String reason) {
        registry.counter(DEAD_LETTERED, "reason", reason).increment();
    }

    @Override
    public void affinityBound(String how) {
        registry.counter(AFFINITY_BOUND, "change", how).increment();
    }

    @Override
    public void redispatched(String reason) {
        registry.counter(REDISPATCHED, "reason", reason).increment();
    }

    @Override
    public void resultAccepted(String status) {
        resultsByStatus.computeIfAbsent(status, st -> registry.counter(RESULTS, "status", st)).increment();
    }

    @Override
    public void staleResult() {
        Counter.builder(STALE_RESULTS).register(registry).increment();
    }

    @Override
    public void breakerChanged(String workerId, String from, String to) {
        registry.counter(BREAKER_TRANSITIONS, "worker", workerId, "to", to).increment();
        AtomicInteger open = breakersOpen.computeIfAbsent(workerId, w -> registry.gauge(BREAKER_OPEN,
                Tags.of("worker", w), new AtomicInteger()));
        open.addAndGet(("CLOSED".equals(to) ? 0 : 1) - ("CLOSED".equals(from) ? 0 : 1));
    }

    @Override
    public void livenessChanged(String workerId, String state) {
        liveness.computeIfAbsent(workerId, w -> {
            AtomicReference<String> current = new AtomicReference<>(state);
            for (String s : LIVENESS_STATES) {
                Gauge.builder(LIVENESS, current, c -> s.equals(c.get()) ? 1 : 0)
                        .tags("worker", w, "state", s).register(registry);
            }
            return current;
        }).set(state);
    }

    @Override
    public void decided(long nanos) {
        decisions.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void completed(long millis) {
        latency.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    @Override
    public void pending(String streamTask, long count) {
        pendingByTask.put(streamTask, count);
    }

    @Override
    public void workerLoad(String workerId, int inFlight, int queued) {
        AtomicInteger[] gauges = loads.computeIfAbsent(workerId, w -> new AtomicInteger[] {
            registry.gauge(WORKER_IN_FLIGHT, Tags.of("worker", w), new AtomicInteger()),
            registry.gauge(WORKER_QUEUED, Tags.of("worker", w), new AtomicInteger())});
        gauges[0].set(inFlight);
        gauges[1].set(queued);
    }

    @Override
    public void workerCredit(String workerId, int credit) {
        credits.computeIfAbsent(workerId, w -> registry.gauge(WORKER_CREDIT, Tags.of("worker", w), new AtomicInteger()))
                .set(credit);
    }

    @Override
    public void heartbeatRejected() {
        registry.counter(REJECTED_HEARTBEATS).increment();
    }

    @Override
    public void configChanged(String key) {
        registry.counter(CONFIG_CHANGES, "key", key).increment();
    }

    @Override
    public void controlRejected(String reason) {
        registry.counter(CONFIG_REJECTED, "reason", reason).increment();
    }

    @Override
    public void waiting(String streamTask, Map<String, Long> byReason) {
        quotas.waiting(streamTask, byReason);
    }

    @Override
    public void quotaUse(String streamTask, List<QuotaUse> uses) {
        quotas.quotaUse(streamTask, uses);
    }

    @Override
    public void waited(String tenant, long millis) {
        quotas.waited(tenant, millis);
    }
}
