package io.kdispatch.dispatcher.metrics;

import io.kdispatch.dispatcher.lag.GroupLag;
import io.kdispatch.dispatcher.lag.LagSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Lag gauges fed by {@code LagMonitor} snapshots. Exported to Prometheus as
 * {@code kdispatch_worker_lag_records{worker}}, {@code kdispatch_worker_lag_oldest_age_seconds{worker}} and
 * {@code kdispatch_intake_lag_records}. A worker whose topic disappears loses its series on the next
 * snapshot. Thread-safe.
 */
public final class LagGauges {
    public static final String WORKER_LAG = "kdispatch.worker.lag.records";
    public static final String WORKER_OLDEST_AGE = "kdispatch.worker.lag.oldest.age.seconds";
    public static final String INTAKE_LAG = "kdispatch.intake.lag.records";

    private final AtomicReference<LagSnapshot> latest = new AtomicReference<>(LagSnapshot.empty());
    private final MultiGauge workerLag;
    private final MultiGauge workerAge;

    public LagGauges(MeterRegistry registry) {
        workerLag = MultiGauge.builder(WORKER_LAG)
                .description("Records in a worker's topic not yet committed by the worker's group").register(registry);
        workerAge = MultiGauge.builder(WORKER_OLDEST_AGE)
                .description("Age of the oldest task in a worker's topic not yet committed by the worker")
                .register(registry);
        Gauge.builder(INTAKE_LAG, latest, s -> s.get().intake().lag())
                .description("Intake records not yet committed by the dispatcher's Kafka Streams group")
                .register(registry);
    }

    /** Publishes a new snapshot (called on the lag monitor's thread). */
    public void update(LagSnapshot snapshot) {
        latest.set(snapshot);
        List<GroupLag> workers = List.copyOf(snapshot.workers().values());
        workerLag.register(workers.stream()
                .map(w -> MultiGauge.Row.of(Tags.of("worker", w.name()), w.lag())).toList(), true);
        workerAge.register(workers.stream()
                .map(w -> MultiGauge.Row.of(Tags.of("worker", w.name()), w.oldestAgeSeconds())).toList(), true);
    }
}
