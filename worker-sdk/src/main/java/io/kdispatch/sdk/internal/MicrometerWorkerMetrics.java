package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.ResultStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * {@link WorkerMetrics} on a Micrometer {@link MeterRegistry}: the only class of the SDK that
 * uses Micrometer, loaded only when the builder was given a registry. Meter names and tags are
 * listed in {@link io.kdispatch.sdk.Worker.Builder#meterRegistry}.
 */
public final class MicrometerWorkerMetrics implements WorkerMetrics {
    public static final String EXECUTIONS = "kdispatch.worker.executions";
    public static final String EXECUTION_DURATION = "kdispatch.worker.execution.duration";
    public static final String IN_FLIGHT = "kdispatch.worker.in.flight";
    public static final String QUEUED = "kdispatch.worker.queued";
    public static final String LEASE_EXTENSIONS = "kdispatch.worker.lease.extensions";
    public static final String SKIPPED = "kdispatch.worker.skipped";
    private static final String WORKER = "worker";

    private final MeterRegistry registry;
    private final Map<ResultStatus, Counter> executions = new EnumMap<>(ResultStatus.class);
    private final Map<SkipReason, Counter> skipped = new EnumMap<>(SkipReason.class);
    private final Timer duration;
    private final Counter leaseExtensions;
    private final List<Meter> gauges;

    private MicrometerWorkerMetrics(MeterRegistry registry, String workerId, IntSupplier inFlight, IntSupplier queued) {
        this.registry = registry;
        for (ResultStatus status : ResultStatus.values()) {
            if (status != ResultStatus.LEASE_EXTENSION) {
                executions.put(status, Counter.builder(EXECUTIONS).description("Attempts answered, by final status")
                        .tags(WORKER, workerId, "status", status.name()).register(registry));
            }
        }
        for (SkipReason reason : SkipReason.values()) {
            skipped.put(reason, Counter.builder(SKIPPED)
                    .description("Assignments not run because the dispatcher had already moved them")
                    .tags(WORKER, workerId, "reason", reason.tag()).register(registry));
        }
        duration = Timer.builder(EXECUTION_DURATION).description("Time handlers ran")
                .tag(WORKER, workerId).register(registry);
        leaseExtensions = Counter.builder(LEASE_EXTENSIONS).description("Lease extensions acknowledged")
                .tag(WORKER, workerId).register(registry);
        gauges = List.of(
                Gauge.builder(IN_FLIGHT, inFlight::getAsInt).description("Tasks running or publishing their result")
                        .tag(WORKER, workerId).register(registry),
                Gauge.builder(QUEUED, queued::getAsInt).description("Assignments fetched and waiting for a slot")
                        .tag(WORKER, workerId).register(registry));
    }

    /** A factory registering a worker's meters on {@code registry}. */
    public static WorkerMetrics.Factory factory(MeterRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        return (workerId, inFlight, queued) -> new MicrometerWorkerMetrics(registry, workerId, inFlight, queued);
    }

    @Override
    public void published(ResultStatus status) {
        Counter counter = executions.get(status);
        if (counter != null) {
            counter.increment();
        }
    }

    @Override
    public void ran(Duration elapsed) {
        duration.record(elapsed);
    }

    @Override
    public void leaseExtended() {
        leaseExtensions.increment();
    }

    @Override
    public void skipped(SkipReason reason) {
        skipped.get(reason).increment();
    }

    @Override
    public void close() {
        gauges.forEach(registry::remove);
    }
}
