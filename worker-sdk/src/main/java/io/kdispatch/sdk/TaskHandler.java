package io.kdispatch.sdk;

/**
 * The application code that runs one task attempt.
 *
 * <p>Called on one of the worker's {@code capacity} task threads; up to {@code capacity} calls run
 * at once, so an implementation shared by them must be thread-safe. A handler should react to
 * interruption: {@link Worker#abort()} and a forced {@link Worker#close()} interrupt running calls.
 */
@FunctionalInterface
public interface TaskHandler {
    /**
     * Runs the task.
     *
     * @return the output carried in the {@code SUCCEEDED} result; may be {@code null}
     * @throws Exception to fail the attempt: the result is {@code FAILED} with the exception's
     *     message as its error (the dispatcher may retry the task elsewhere)
     */
    byte[] handle(TaskContext ctx) throws Exception;
}
