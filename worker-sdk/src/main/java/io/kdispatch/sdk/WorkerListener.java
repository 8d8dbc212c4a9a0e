package io.kdispatch.sdk;

/**
 * Observes a worker's executions, e.g. to print them or (in tests) to keep a log of them; see
 * {@link io.kdispatch.sdk.testing.ExecutionLog}.
 *
 * <p>Called after the attempt's result was acknowledged by the broker and before its slot is
 * freed (lease extensions and skipped assignments are not reported): on the task thread that ran it, or, for a REJECTED assignment (answered unrun while the
 * worker drains or is saturated), on the producer's network thread. Implementations must therefore be thread-safe
 * and quick. An exception thrown here is logged and otherwise ignored.
 */
public interface WorkerListener {
    /** One attempt finished and its result was published. */
    default void onExecuted(ExecutionEvent event) {
    }
}
