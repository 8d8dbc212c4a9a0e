package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.sdk.TaskHandler;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The rules every attempt's result follows, in the one place the worker runtime and the test kit share
 * ({@code HandlerTestKit} in the testkit module is tested on top of these).
 */
class AttemptCallTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger extended = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    private static TaskAssignment assignment(Instant deadline) {
        return TaskAssignment.newBuilder()
                .setTask(Task.newBuilder().setId("t-1").setType("echo").setDeadline(deadline)
                        .setPayload(ByteBuffer.wrap("in".getBytes(StandardCharsets.UTF_8))).build())
                .setWorkerId("w-1").setAttempt(2).setRoutingKey("rk").setAssignedAt(NOW)
                .setLeaseDeadline(NOW.plusSeconds(60)).setLeaseMs(60_000).setWorkerIncarnation(7).build();
    }

    private TaskResult run(TaskHandler handler, Instant deadline, boolean aborted) {
        return AttemptCall.run(assignment(deadline), "w-1", 9, handler, CLOCK, () -> {
            opened.incrementAndGet();
            return new AttemptCall.Lease() {
                @Override
                public void extend() {
                    extended.incrementAndGet();
                }

                @Override
                public void close() {
                    closed.incrementAndGet();
                }
            };
        }, () -> aborted);
    }

    @Test
    void aReturningHandlerSucceedsWithItsOutputUnderThisWorkersIncarnation() {
        TaskResult r = run(ctx -> ctx.payload(), null, false);
        assertEquals(ResultStatus.SUCCEEDED, r.getStatus());
        assertArrayEquals("in".getBytes(StandardCharsets.UTF_8), r.getOutput().array());
        assertEquals(9, r.getWorkerIncarnation());
        assertEquals(2, r.getAttempt());
        assertEquals(NOW, r.getStartedAt());
        assertNull(r.getError());
    }

    @Test
    void aThrowingHandlerFailsWithTheMessageOrTheClassName() {
        assertEquals("disk full", run(ctx -> {
            throw new IllegalStateException("disk full");
        }, null, false).getError());
        assertEquals(IllegalStateException.class.getName(), run(ctx -> {
            throw new IllegalStateException();
        }, null, false).getError());
    }

    @Test
    void anAttemptPastItsDeadlineFailsWithoutRunningOrOpeningALease() {
        AtomicInteger calls = new AtomicInteger();
        TaskResult r = run(ctx -> {
            calls.incrementAndGet();
            return null;
        }, NOW.minusMillis(1), false);
        assertEquals(ResultStatus.FAILED, r.getStatus());
        assertTrue(r.getError().contains("it was not run"), r.getError());
        assertEquals(0, calls.get());
        assertEquals(0, opened.get());
    }

    @Test
    void theLeaseIsExtendedOnRequestAndClosedWhenTheHandlerReturns() {
        run(ctx -> {
            ctx.extendLease();
            ctx.extendLease();
            return null;
        }, null, false);
        assertEquals(2, extended.get());
        assertEquals(1, closed.get());
    }

    @Test
    void anAbortedAttemptPublishesNothing() {
        assertNull(run(ctx -> new byte[] {1}, null, true));
        assertEquals(1, closed.get());
    }

    @Test
    void aHandlersOwnInterruptDoesNotStopItsResult() {
        TaskResult r = run(ctx -> {
            Thread.currentThread().interrupt();
            return null;
        }, null, false);
        assertEquals(ResultStatus.SUCCEEDED, r.getStatus());
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aRejectionCarriesTheReasonAndNoDuration() {
        TaskResult r = AttemptCall.rejected(assignment(null), 9, "draining", CLOCK);
        assertEquals(ResultStatus.REJECTED, r.getStatus());
        assertEquals("draining", r.getError());
        assertEquals(0, r.getDurationMs());
    }
}
