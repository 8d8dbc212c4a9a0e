package io.kdispatch.sdk;

/**
 * {@link Worker#start()} could not bring the worker up: the cluster was unreachable, a topic could
 * not be created or read, or the serializers could not be set up. The message says which and what
 * to check; the worker is {@link Worker.State#TERMINATED} and has released everything it started.
 */
public final class WorkerStartException extends RuntimeException {
    public WorkerStartException(String message, Throwable cause) {
        super(message, cause);
    }
}
