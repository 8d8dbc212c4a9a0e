package io.kdispatch.testkit;

import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.internal.AttemptCall;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link TaskHandler} the way a worker runs it, without a broker, and shows the result the worker
 * would publish. The attempt goes through the worker SDK's own code for it, so the rules are the runtime's:
 * a task whose deadline has passed on the kit's clock is not run and fails, a handler that returns succeeds
 * with its output, one that throws fails with the exception's message, and a cancelled run (as
 * {@code Worker.abort()} or a forced close cancels it: the thread is interrupted) publishes nothing.
 *
 * <pre>{@code
 * HandlerTestKit kit = HandlerTestKit.of(new ResizeHandler());
 * HandlerRun run = kit.run(Task.newBuilder().setId("t-1").setType("resize").setPayload(...).build());
 * assertEquals(ResultStatus.SUCCEEDED, run.status());
 *
 * RunningHandler slow = kit.start(bigTask);      // on a thread of its own
 * slow.cancel();                                 // interrupts it, as an aborting worker does
 * assertFalse(slow.await(Duration.ofSeconds(5)).published());
 * }</pre>
 *
 * <p>Immutable and thread-safe; each {@code with...} returns a new kit.
 */
public final class HandlerTestKit {
    /** The worker ID the handler sees unless told otherwise. */
    public static final String DEFAULT_WORKER_ID = "test-worker";

    private final TaskHandler handler;
    private final String workerId;
    private final long incarnation;
    private final Clock clock;
    private final Duration lease;

    private HandlerTestKit(TaskHandler handler, String workerId, long incarnation, Clock clock, Duration lease) {
        this.handler = Objects.requireNonNull(handler, "handler");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.incarnation = incarnation;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lease = Objects.requireNonNull(lease, "lease");
    }

    /** A kit for {@code handler}: worker {@value #DEFAULT_WORKER_ID}, incarnation 1, the system clock. */
    public static HandlerTestKit of(TaskHandler handler) {
        return new HandlerTestKit(handler, DEFAULT_WORKER_ID, 1, Clock.systemUTC(),
                DispatcherConfig.DEFAULT_LEASE_DURATION);
    }

    /** The same kit on another worker ID ({@code TaskContext.workerId()}). */
    public HandlerTestKit withWorkerId(String id) {
        return new HandlerTestKit(handler, id, incarnation, clock, lease);
    }

    /** The same kit with another incarnation, which the results carry. */
    public HandlerTestKit withIncarnation(long value) {
        return new HandlerTestKit(handler, workerId, value, clock, lease);
    }

    /** The same kit on {@code value}: the task's deadline is judged on it and the results are stamped by it. */
    public HandlerTestKit withClock(Clock value) {
        return new HandlerTestKit(handler, workerId, incarnation, value, lease);
    }

    /** The same kit granting another lease in its assignments (default: the dispatcher's, 5 minutes). */
    public HandlerTestKit withLease(Duration value) {
        return new HandlerTestKit(handler, workerId, incarnation, clock, value);
    }

    /** Runs the first attempt of {@code task} on the calling thread. */
    public HandlerRun run(Task task) {
        return run(task, 1);
    }

    /** Runs attempt {@code attempt} of {@code task} ({@code TaskContext.attempt()}) on the calling thread. */
    public HandlerRun run(Task task, int attempt) {
        return call(assignment(task, attempt), new AtomicBoolean());
    }

    /**
     * Starts the first attempt of {@code task} on a thread of its own, for a handler that blocks or that the
     * test cancels; see {@link RunningHandler}.
     */
    public RunningHandler start(Task task) {
        return new RunningHandler(this, assignment(task, 1));
    }

    /** The assignment a dispatcher would send this kit's worker for {@code attempt} of {@code task}, now. */
    public TaskAssignment assignment(Task task, int attempt) {
        Instant now = clock.instant();
        return TaskAssignment.newBuilder()
                .setTask(task).setWorkerId(workerId).setAttempt(attempt)
                .setRoutingKey(RoutingKeys.of(task.getId(), task.getAffinityKey(), task.getAntiAffinityGroup()))
                .setAssignedAt(now).setLeaseDeadline(now.plus(lease)).setLeaseMs(lease.toMillis())
                .setWorkerIncarnation(incarnation).setStrategy("testkit").build();
    }

    /** One call, through the SDK's attempt code; {@code cancelled} is the worker's abort flag. */
    HandlerRun call(TaskAssignment assignment, AtomicBoolean cancelled) {
        List<Instant> extensions = new CopyOnWriteArrayList<>();
        AtomicBoolean ran = new AtomicBoolean();
        var result = AttemptCall.run(assignment, workerId, incarnation, handler, clock, () -> {
            ran.set(true);
            return new RecordingLease(extensions, clock);
        }, cancelled::get);
        return new HandlerRun(assignment, result, ran.get(), extensions);
    }

    /** Records each extension the handler asks for; closing ends nothing, there is no timer. */
    private record RecordingLease(List<Instant> extensions, Clock clock) implements AttemptCall.Lease {
        @Override
        public void extend() {
            extensions.add(clock.instant());
        }

        @Override
        public void close() {
        }
    }
}
