package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.ResultStatus;
import java.time.Duration;
import java.util.function.IntSupplier;

/**
 * What a worker reports about itself. The core calls this small interface; the no-op
 * {@link #NONE} is used unless a Micrometer registry was given, so that Micrometer stays an
 * optional dependency ({@link MicrometerWorkerMetrics} is loaded only then).
 *
 * <p>Thread-safe: called from task threads, the poll thread, the lease thread and producer callbacks.
 */
public interface WorkerMetrics {
    /** Reports nothing. */
    WorkerMetrics NONE = new WorkerMetrics() { };

    /** A final result (SUCCEEDED, FAILED or REJECTED) was acknowledged by the broker. */
    default void published(ResultStatus status) {
    }

    /** A handler returned or threw after running this long. */
    default void ran(Duration duration) {
    }

    /** A lease extension was acknowledged by the broker. */
    default void leaseExtended() {
    }

    /** An assignment was skipped because the dispatcher has already moved it elsewhere. */
    default void skipped(SkipReason reason) {
    }

    /** The worker stopped: drop what refers to it (the gauges); counters keep their totals. */
    default void close() {
    }

    /** Creates a worker's metrics once its load can be observed. */
    @FunctionalInterface
    interface Factory {
        /** Reports nothing. */
        Factory NONE = (workerId, inFlight, queued) -> WorkerMetrics.NONE;

        /**
         * @param inFlight tasks running or publishing their result now
         * @param queued assignments fetched and waiting for a slot now
         */
        WorkerMetrics create(String workerId, IntSupplier inFlight, IntSupplier queued);
    }
}
