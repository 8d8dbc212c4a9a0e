package io.kdispatch.dispatcher.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.Map;

/**
 * The capacity estimate as {@code kdispatch_workers_needed{kind}}: how many workers of each kind keep the p99
 * wait at or under the target at the arrival rate of the last window (the capacity monitor's, what
 * {@code simulate capacity} answers). A kind that no longer heartbeats loses its series on the next estimate.
 * Thread-safe.
 */
public final class CapacityGauges {
    public static final String WORKERS_NEEDED = "kdispatch.workers.needed";

    private final MultiGauge needed;

    public CapacityGauges(MeterRegistry registry) {
        needed = MultiGauge.builder(WORKERS_NEEDED)
                .description("Workers of a kind that keep the p99 wait under the target at the current arrival rate "
                        + "(simulated from the last window of the topics)").register(registry);
    }

    /** Publishes a new estimate (called on the capacity monitor's thread). */
    public void update(Map<String, Integer> workersNeeded) {
        needed.register(workersNeeded.entrySet().stream()
                .map(e -> MultiGauge.Row.of(Tags.of("kind", e.getKey()), e.getValue())).toList(), true);
    }
}
