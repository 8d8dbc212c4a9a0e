package io.kdispatch.testkit;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

/**
 * What one handler call under {@link HandlerTestKit} came to: the result record a worker would publish
 * (exactly as the worker SDK builds it), whether the handler was called at all, and when it asked to extend
 * its lease.
 *
 * @param assignment the assignment the handler ran for
 * @param result the result a worker would publish, or {@code null} when it would publish none (the run was
 *     {@link RunningHandler#cancel() cancelled} as an aborting worker cancels it)
 * @param ran whether the handler was called (not when the task's deadline had passed)
 * @param leaseExtensions when the handler called {@code TaskContext.extendLease()}, on the kit's clock
 */
public record HandlerRun(TaskAssignment assignment, TaskResult result, boolean ran, List<Instant> leaseExtensions) {
    public HandlerRun {
        leaseExtensions = List.copyOf(leaseExtensions);
    }

    /** True when a worker would publish a result. */
    public boolean published() {
        return result != null;
    }

    /** The result's status ({@code SUCCEEDED} or {@code FAILED}); {@code null} when nothing would be published. */
    public ResultStatus status() {
        return result == null ? null : result.getStatus();
    }

    /** The handler's output; {@code null} when it returned none or did not succeed. */
    public byte[] output() {
        ByteBuffer out = result == null ? null : result.getOutput();
        if (out == null) {
            return null;
        }
        ByteBuffer copy = out.duplicate();
        byte[] bytes = new byte[copy.remaining()];
        copy.get(bytes);
        return bytes;
    }

    /** Why it failed; {@code null} when it succeeded or nothing would be published. */
    public String error() {
        return result == null ? null : result.getError();
    }
}
