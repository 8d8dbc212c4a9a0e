package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerIds;
import io.kdispatch.schemas.WorkerSighting;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maintains the global worker view from the heartbeat topic: the latest heartbeat per worker and the
 * wall-clock time it was received. Invalid heartbeats are rejected with a logged reason (a global
 * store cannot forward to a dead-letter topic) and counted.
 */
final class HeartbeatProcessor implements Processor<String, WorkerHeartbeat, Void, Void> {
    static final int MAX_CAPACITY = 100_000;
    private static final Logger log = LoggerFactory.getLogger(HeartbeatProcessor.class);

    private final DispatchMetrics metrics;
    private ProcessorContext<Void, Void> context;
    private KeyValueStore<String, WorkerSighting> view;

    HeartbeatProcessor(DispatchMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
        this.view = context.getStateStore(StoreNames.WORKER_VIEW);
    }

    @Override
    public void process(Record<String, WorkerHeartbeat> record) {
        WorkerHeartbeat heartbeat = record.value();
        if (heartbeat == null) {
            if (record.key() != null) {
                view.delete(record.key());
            }
            return;
        }
        String problem = problem(record.key(), heartbeat);
        if (problem != null) {
            metrics.heartbeatRejected();
            log.warn("Rejected heartbeat at {}: {}", context.recordMetadata()
                    .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset()).orElse("?"), problem);
            return;
        }
        long now = context.currentSystemTimeMs();
        WorkerSighting previous = view.get(record.key());
        boolean sameRun = previous != null && previous.getHeartbeat().getIncarnation() == heartbeat.getIncarnation();
        view.put(record.key(), new WorkerSighting(heartbeat, java.time.Instant.ofEpochMilli(now),
                sameRun ? previous.getFirstSeenAt() : now));
    }

    static String problem(String key, WorkerHeartbeat heartbeat) {
        if (!WorkerIds.isValid(heartbeat.getWorkerId())) {
            return "invalid worker ID '" + abbreviate(heartbeat.getWorkerId())
                    + "': it must match [a-zA-Z0-9._-]{1,200}";
        }
        if (!heartbeat.getWorkerId().equals(key)) {
            return "record key '" + abbreviate(key) + "' differs from worker ID '" + heartbeat.getWorkerId() + "'";
        }
        if (heartbeat.getCapacity() < 1 || heartbeat.getCapacity() > MAX_CAPACITY) {
            return "worker " + heartbeat.getWorkerId() + " reports capacity " + heartbeat.getCapacity()
                    + ", outside 1-" + MAX_CAPACITY;
        }
        if (heartbeat.getInFlight() < 0 || heartbeat.getQueued() < 0) {
            return "worker " + heartbeat.getWorkerId() + " reports negative load";
        }
        return null;
    }

    private static String abbreviate(String s) {
        if (s == null) {
            return "(null)";
        }
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
