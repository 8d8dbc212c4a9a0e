package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerSighting;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the global worker view from the heartbeat topic: the latest heartbeat per worker and the
 * wall-clock time it was received. Invalid heartbeats (see {@link HeartbeatRules}) are rejected with a
 * logged reason (a global store cannot forward to a dead-letter topic) and counted, and so is a new worker
 * beyond {@link #MAX_WORKERS}.
 */
final class HeartbeatProcessor implements Processor<String, byte[], Void, Void> {
    /**
     * Most workers the view holds. Every instance keeps the whole view in memory, judges all of it on every
     * tick and rebuilds its routing tables when membership changes, so a flood of invented worker IDs must
     * not grow it without bound; the benchmarks route over fleets of up to this size. When the view is full,
     * workers silent for longer than {@code liveness.dead.after.ms} (their tasks already moved) are forgotten
     * to make room, at most once a second; a new worker that still finds no room is rejected and counted.
     */
    static final int MAX_WORKERS = 10_000;
    private static final long SWEEP_INTERVAL_MS = 1_000;
    private static final Logger log = LoggerFactory.getLogger(HeartbeatProcessor.class);

    private final DispatchMetrics metrics;
    private final Deserializer<WorkerHeartbeat> deserializer;
    private final Duration deadAfter;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, WorkerSighting> view;
    private long lastSweepMs = Long.MIN_VALUE;

    /**
     * @param deserializer reads the heartbeat bytes here, not in the source node, so that bytes that are not a
     *     heartbeat are rejected and counted like any other bad heartbeat, on every runtime
     * @param deadAfter silence after which a worker is dead, and may be forgotten when the view is full
     */
    HeartbeatProcessor(DispatchMetrics metrics, Deserializer<WorkerHeartbeat> deserializer, Duration deadAfter) {
        this.metrics = metrics;
        this.deserializer = deserializer;
        this.deadAfter = deadAfter;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.view = context.getStateStore(StoreNames.WORKER_VIEW);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.value() == null) {
            if (record.key() != null) {
                view.delete(record.key());
            }
            return;
        }
        WorkerHeartbeat heartbeat;
        try {
            heartbeat = deserializer.deserialize(context.recordMetadata().map(m -> m.topic()).orElse(null),
                    record.value());
        } catch (SerializationException e) {
            reject("unreadable heartbeat (" + e.getMessage() + ")");
            return;
        }
        accept(record.key(), heartbeat);
    }

    /** Judges a decoded heartbeat and, when it passes, records the sighting (also what a virtual run calls). */
    void accept(String key, WorkerHeartbeat heartbeat) {
        String problem = HeartbeatRules.problem(key, heartbeat);
        long now = context.currentSystemTimeMs();
        WorkerSighting previous = problem == null ? view.get(key) : null;
        if (problem == null && previous == null && !roomForOneMore(now)) {
            problem = "worker " + heartbeat.getWorkerId() + " is new and the view already holds " + MAX_WORKERS
                    + " workers, none of them silent for longer than " + deadAfter.toMillis() + " ms";
        }
        if (problem != null) {
            reject(problem);
            return;
        }
        boolean sameRun = previous != null && previous.getHeartbeat().getIncarnation() == heartbeat.getIncarnation();
        view.put(key, new WorkerSighting(heartbeat, Instant.ofEpochMilli(now),
                sameRun ? previous.getFirstSeenAt() : now));
    }

    private void reject(String problem) {
        metrics.heartbeatRejected();
        log.warn("Rejected heartbeat at {}: {}", context.recordMetadata()
                .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"), problem);
    }

    /** True when a new worker fits in the view, after forgetting long-silent ones if it is full. */
    private boolean roomForOneMore(long now) {
        if (view.approximateNumEntries() < MAX_WORKERS) {
            return true;
        }
        if (lastSweepMs != Long.MIN_VALUE && now - lastSweepMs < SWEEP_INTERVAL_MS) {
            return false;
        }
        lastSweepMs = now;
        List<String> silent = new ArrayList<>();
        try (KeyValueIterator<String, WorkerSighting> it = view.all()) {
            while (it.hasNext()) {
                KeyValue<String, WorkerSighting> entry = it.next();
                if (now - entry.value.getReceivedAt().toEpochMilli() > deadAfter.toMillis()) {
                    silent.add(entry.key);
                }
            }
        }
        silent.forEach(view::delete);
        if (!silent.isEmpty()) {
            log.info("Worker view full ({} workers): forgot {} silent for longer than {} ms", MAX_WORKERS,
                    silent.size(), deadAfter.toMillis());
        }
        return view.approximateNumEntries() < MAX_WORKERS;
    }
}
