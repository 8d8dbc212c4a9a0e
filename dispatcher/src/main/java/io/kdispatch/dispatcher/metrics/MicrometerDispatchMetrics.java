package io.kdispatch.dispatcher.metrics;

import io.micrometer.core.instrument.Counter;
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
    public static final String RESULTS = "kdispatch.results.accepted";
    public static final String STALE_RESULTS = "kdispatch.results.stale";
    public static final String REJECTED_HEARTBEATS = "kdispatch.heartbeats.rejected";

    private final MeterRegistry registry;

    public MicrometerDispatchMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void routed(String rule) {
        registry.counter(ROUTED, "rule", rule).increment();
    }

    @Override
    public void parked() {
        registry.counter(PARKED).increment();
    }

    @Override
    public void deadLettered(String reason) {
        registry.counter(DEAD_LETTERED, "reason", reason).increment();
    }

    @Override
    public void redispatched(String reason) {
        registry.counter(REDISPATCHED, "reason", reason).increment();
    }

    @Override
    public void resultAccepted(String status) {
        registry.counter(RESULTS, "status", status).increment();
    }

    @Override
    public void staleResult() {
        Counter.builder(STALE_RESULTS).register(registry).increment();
    }

    @Override
    public void heartbeatRejected() {
        registry.counter(REJECTED_HEARTBEATS).increment();
    }
}
