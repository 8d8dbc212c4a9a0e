package io.kdispatch.sdk;

import io.kdispatch.schemas.Task;
import java.util.Map;

/**
 * What a {@link TaskHandler} knows about the attempt it runs. Immutable; the accessors are valid
 * during the call and after it, {@link #extendLease()} only during it.
 */
public interface TaskContext {
    /** The task as submitted. */
    Task task();

    /** The task's unique ID. */
    String taskId();

    /** The task type, which a handler typically dispatches on. */
    String type();

    /** A copy of the task's opaque input (empty, never {@code null}, when none was given). */
    byte[] payload();

    /** Which attempt this is: 1 for the first. */
    int attempt();

    /** The ID of the worker running the attempt. */
    String workerId();

    /** The task's free-form headers (e.g. trace context), unmodifiable. */
    Map<String, String> headers();

    /**
     * Asks the dispatcher to renew this attempt's lease now, so it does not give the task to another
     * worker. The worker already does this automatically while the handler runs, every third of the
     * lease the assignment granted ({@code leaseMs}, counted on this worker's monotonic clock from
     * when it received the assignment; every half of it for a dispatcher that sends no
     * {@code leaseMs}), up to {@code maxTaskDuration}; call it to renew sooner, e.g. after a step
     * whose length is hard to predict. Returns without waiting for the broker (a failed send is
     * logged, and the next automatic extension tries again) and restarts the automatic timer. Does
     * nothing once the handler has returned or the worker was aborted. Thread-safe.
     */
    void extendLease();
}
