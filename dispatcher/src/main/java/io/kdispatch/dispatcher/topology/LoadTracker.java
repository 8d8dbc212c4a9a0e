package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.routing.LoadView;
import java.util.HashMap;
import java.util.Map;

/**
 * What this stream task believes each worker carries: the in-flight and queued counts of the worker's
 * latest heartbeat plus what this task sent it since that heartbeat, and a moving average of its
 * service time from results.
 *
 * <p>Each stream task counts only its own sends between heartbeats, so with P partitions a worker may
 * receive up to P times the prefetch before its next heartbeat shows the load (documented overshoot).
 * Kept in memory: after a restart it is relearned from the next heartbeats and results.
 */
final class LoadTracker implements LoadView {
    /** Weight of the newest sample in the service-time moving average. */
    static final double SERVICE_TIME_ALPHA = 0.2;

    private final Map<String, Integer> reported = new HashMap<>();
    private final Map<String, Long> reportedAt = new HashMap<>();
    private final Map<String, Integer> sentSince = new HashMap<>();
    private final Map<String, Double> serviceTime = new HashMap<>();

    /** Takes a worker's heartbeat; a newer one replaces the count of tasks sent since the last. */
    void observe(String workerId, int inFlight, int queued, long receivedAtMs) {
        Long previous = reportedAt.put(workerId, receivedAtMs);
        reported.put(workerId, inFlight + queued);
        if (previous == null || previous != receivedAtMs) {
            sentSince.remove(workerId);
        }
    }

    /** Forgets a worker that left the view. */
    void forget(String workerId) {
        reported.remove(workerId);
        reportedAt.remove(workerId);
        sentSince.remove(workerId);
        serviceTime.remove(workerId);
    }

    void sent(String workerId) {
        sentSince.merge(workerId, 1, Integer::sum);
    }

    /** A result of a task this stream task sent: one fewer outstanding until the next heartbeat says. */
    void finished(String workerId) {
        sentSince.computeIfPresent(workerId, (w, n) -> n > 1 ? n - 1 : null);
    }

    void completed(String workerId, long durationMs) {
        finished(workerId);
        serviceTime.merge(workerId, (double) durationMs,
                (old, sample) -> (1 - SERVICE_TIME_ALPHA) * old + SERVICE_TIME_ALPHA * sample);
    }

    @Override
    public int load(String workerId) {
        return reported.getOrDefault(workerId, 0) + sentSince.getOrDefault(workerId, 0);
    }

    @Override
    public double serviceTimeMs(String workerId) {
        return serviceTime.getOrDefault(workerId, Double.NaN);
    }
}
