package io.kdispatch.dispatcher.metrics;

import java.util.List;
import java.util.Map;

/**
 * What the dispatcher reports as it works. The topology calls this small interface; Micrometer lives
 * behind it ({@link MicrometerDispatchMetrics}). Implementations must be thread-safe: every stream
 * thread and the global thread call it.
 */
public interface DispatchMetrics {
    /** Reports nothing. */
    DispatchMetrics NOOP = new DispatchMetrics() {
    };

    /** A task attempt was sent to a worker by {@code rule}. */
    default void routed(String rule) {
    }

    /**
     * A task attempt waits, for {@code reason} (the router's one-line summary, or the retry backoff). The
     * reason is free text: the simulator tallies it, a metrics registry must not tag by it.
     */
    default void parked(String reason) {
    }

    /** A task or record went to the dead-letter topic. */
    default void deadLettered(String reason) {
    }

    /** A task attempt was sent again, for {@code reason} (failed, worker-dead, lease-expired, resubmitted). */
    default void redispatched(String reason) {
    }

    /** A result closed or advanced an assignment. */
    default void resultAccepted(String status) {
    }

    /** A result arrived for an attempt that is no longer current, or for an unknown task. */
    default void staleResult() {
    }

    /** A worker's circuit breaker, as one stream task judges it, went from {@code from} to {@code to}. */
    default void breakerChanged(String workerId, String from, String to) {
    }

    /** A worker's liveness changed (reported once across the fleet). */
    default void livenessChanged(String workerId, String state) {
    }

    /** One routing decision took {@code nanos}. */
    default void decided(long nanos) {
    }

    /** A task ended successfully {@code millis} after it was submitted (end-to-end latency). */
    default void completed(long millis) {
    }

    /** Stream task {@code streamTask} has about {@code count} tasks waiting in its pending store. */
    default void pending(String streamTask, long count) {
    }

    /**
     * Stream task {@code streamTask}'s waiting tasks by reason class ({@code quota}, {@code rate}, {@code paused},
     * {@code key-order}, {@code no-worker}, {@code backoff}, {@code unclassified}); empty when it closed.
     */
    default void waiting(String streamTask, Map<String, Long> byReason) {
    }

    /** Stream task {@code streamTask}'s tasks in flight per configured task type and tenant; empty when it closed. */
    default void quotaUse(String streamTask, List<QuotaUse> uses) {
    }

    /**
     * A fresh task of {@code tenant} (a configured tenant, the default one, or {@code other}) went to a worker
     * after waiting {@code millis} in the dispatcher (0 when it went at once).
     */
    default void waited(String tenant, long millis) {
    }

    /** A worker reported {@code inFlight} running and {@code queued} waiting tasks (reported once across the fleet). */
    default void workerLoad(String workerId, int inFlight, int queued) {
    }

    /**
     * The flow-control credit of a worker as this instance's narrator sees it: how many tasks it may
     * hold beyond its capacity (reported once across the fleet).
     */
    default void workerCredit(String workerId, int credit) {
    }

    /** A heartbeat was rejected as invalid. */
    default void heartbeatRejected() {
    }

    /** A run-time setting from the control topic changed on this instance. */
    default void configChanged(String key) {
    }

    /**
     * A control record was refused by this instance and ignored, the setting keeping its previous value, for
     * {@code reason}: {@code unreadable} (not a ControlCommand, e.g. another format), {@code malformed} (no key,
     * or a key other than its setting's), {@code invalid-key} (a key this version does not accept) or
     * {@code invalid-value} (out of range).
     */
    default void controlRejected(String reason) {
    }

    /** An affinity key was bound to a worker: {@code placed} for the first time, or {@code moved}. */
    default void affinityBound(String how) {
    }
}
