package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.sdk.TaskContext;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.Map;

/** The {@link TaskContext} of one assignment, with the lease the worker keeps for it. */
record AssignmentContext(TaskAssignment assignment, String workerId, AttemptCall.Lease lease) implements TaskContext {

    @Override
    public void extendLease() {
        lease.extend();
    }

    @Override
    public Task task() {
        return assignment.getTask();
    }

    @Override
    public String taskId() {
        return task().getId();
    }

    @Override
    public String type() {
        return task().getType();
    }

    @Override
    public byte[] payload() {
        ByteBuffer buffer = task().getPayload();
        if (buffer == null) {
            return new byte[0];
        }
        ByteBuffer copy = buffer.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    @Override
    public int attempt() {
        return assignment.getAttempt();
    }

    @Override
    public Map<String, String> headers() {
        Map<String, String> headers = task().getHeaders();
        return headers == null ? Map.of() : Collections.unmodifiableMap(headers);
    }
}
