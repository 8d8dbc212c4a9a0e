package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.TaskRules;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerIds;
import java.util.Map;

/**
 * What a heartbeat must meet before it enters the worker view, naming the first rule broken. The bounds are
 * declared once here: every number a heartbeat announces feeds sums and credits in {@code int}, every label
 * is matched per decision, and the whole view is held in memory on every instance, so nothing a worker
 * says may be unbounded.
 */
final class HeartbeatRules {
    /** Largest capacity (tasks at once) a worker may announce. */
    static final int MAX_CAPACITY = 100_000;
    /**
     * Largest {@code queued} and {@code maxQueued} a worker may announce (the SDK's default queue is 1,000):
     * with {@link #MAX_CAPACITY} it keeps a worker's load and limit far from {@code int} overflow.
     */
    static final int MAX_QUEUED = 1_000_000;
    /** Most labels a worker may carry; each key and value at most {@link TaskRules#MAX_TEXT_LENGTH} characters. */
    static final int MAX_LABELS = 64;
    /** Longest SDK version string, in characters. */
    static final int MAX_SDK_VERSION_LENGTH = 256;

    private HeartbeatRules() {
    }

    /** Null when {@code heartbeat}, received under {@code key}, may enter the view; else what is wrong. */
    static String problem(String key, WorkerHeartbeat heartbeat) {
        String id = heartbeat.getWorkerId();
        if (!WorkerIds.isValid(id)) {
            return "invalid worker ID " + Abbreviated.of(id) + ": it must match " + WorkerIds.SHAPE;
        }
        if (!id.equals(key)) {
            return "record key " + Abbreviated.of(key) + " differs from worker ID '" + id + "'";
        }
        if (heartbeat.getCapacity() < 1 || heartbeat.getCapacity() > MAX_CAPACITY) {
            return "worker " + id + " reports capacity " + heartbeat.getCapacity() + ", outside 1-" + MAX_CAPACITY;
        }
        if (heartbeat.getInFlight() < 0 || heartbeat.getQueued() < 0 || heartbeat.getUnread() < 0) {
            return "worker " + id + " reports negative load";
        }
        if (heartbeat.getInFlight() > MAX_CAPACITY || heartbeat.getQueued() > MAX_QUEUED) {
            return "worker " + id + " reports " + heartbeat.getInFlight() + " in flight and " + heartbeat.getQueued()
                    + " queued, over the limits of " + MAX_CAPACITY + " and " + MAX_QUEUED;
        }
        if (heartbeat.getMaxQueued() < -1 || heartbeat.getMaxQueued() > MAX_QUEUED) {
            return "worker " + id + " declares maxQueued " + heartbeat.getMaxQueued() + ", outside -1-" + MAX_QUEUED;
        }
        if (heartbeat.getSdkVersion() != null && heartbeat.getSdkVersion().length() > MAX_SDK_VERSION_LENGTH) {
            return "worker " + id + " reports an SDK version of " + heartbeat.getSdkVersion().length()
                    + " characters, over the limit of " + MAX_SDK_VERSION_LENGTH;
        }
        return labelProblem(id, heartbeat.getLabels());
    }

    private static String labelProblem(String id, Map<String, String> labels) {
        if (labels == null) {
            return null;
        }
        if (labels.size() > MAX_LABELS) {
            return "worker " + id + " carries " + labels.size() + " labels, over the limit of " + MAX_LABELS;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (label.getKey().length() > TaskRules.MAX_TEXT_LENGTH
                    || label.getValue().length() > TaskRules.MAX_TEXT_LENGTH) {
                return "worker " + id + " has a label " + Abbreviated.of(label.getKey()) + " whose key or value is over "
                        + TaskRules.MAX_TEXT_LENGTH + " characters";
            }
        }
        return null;
    }
}
