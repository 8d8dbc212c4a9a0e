package io.kdispatch.sdk;

import io.kdispatch.schemas.Task;
import java.util.Map;

/**
 * What a {@link TaskHandler} knows about the attempt it runs. Immutable; valid during the call
 * and after it.
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
}
