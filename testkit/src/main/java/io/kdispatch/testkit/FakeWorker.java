package io.kdispatch.testkit;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.internal.AttemptCall;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A worker that exists only as heartbeats and results, driven by the test through its
 * {@link DispatcherTestKit}. It heartbeats every {@link DispatcherTestKit#HEARTBEAT_INTERVAL} of driven time
 * while it is up, reporting as in flight the assignments it holds, and it answers an assignment only when
 * the test says so. Results are built by the worker SDK's own rules ({@link #run} runs a real
 * {@link TaskHandler}), so the dispatcher sees what a real worker would send.
 *
 * <p>Not thread-safe: the test thread drives it, as it drives the kit.
 */
public final class FakeWorker {
    private final DispatcherTestKit kit;
    private final String id;
    private final Map<String, String> labels;
    private final int capacity;
    private final List<TaskAssignment> received = new ArrayList<>();
    private final Map<String, TaskAssignment> held = new LinkedHashMap<>();
    private WorkerStatus status = WorkerStatus.READY;
    private long incarnation = 1;
    private boolean up = true;

    FakeWorker(DispatcherTestKit kit, String id, Map<String, String> labels, int capacity) {
        this.kit = kit;
        this.id = Objects.requireNonNull(id, "id");
        this.labels = Map.copyOf(labels);
        this.capacity = capacity;
    }

    /** The worker ID (also its topic's suffix). */
    public String id() {
        return id;
    }

    /** The current incarnation: 1, and one more after each {@link #restart()}. */
    public long incarnation() {
        return incarnation;
    }

    /** Every assignment the dispatcher sent this worker, in order (all incarnations). */
    public List<TaskAssignment> received() {
        kit.collect();
        return List.copyOf(received);
    }

    /** The assignments this worker holds: received by this incarnation and not answered yet. */
    public List<TaskAssignment> holding() {
        kit.collect();
        return List.copyOf(held.values());
    }

    /** The task IDs of {@link #holding()}, in arrival order. */
    public List<String> holdingIds() {
        return holding().stream().map(a -> a.getTask().getId()).toList();
    }

    /** Runs {@code handler} for the held task as a worker would, and publishes the result it returns. */
    public TaskResult run(String taskId, TaskHandler handler) {
        TaskAssignment a = take(taskId);
        TaskResult result = AttemptCall.run(a, id, incarnation, handler, kit.clock(), () -> new Lease(a), () -> false);
        return report(a, result);
    }

    /** Finishes the held task successfully, with no output. */
    public TaskResult complete(String taskId) {
        return run(taskId, ctx -> null);
    }

    /** Fails the held task: its handler threw with {@code error} as message. */
    public TaskResult fail(String taskId, String error) {
        return run(taskId, ctx -> {
            throw new TaskFailure(error);
        });
    }

    /** Answers the held task with {@code REJECTED}, as a draining or saturated worker does. */
    public TaskResult reject(String taskId, String reason) {
        TaskAssignment a = take(taskId);
        return report(a, AttemptCall.rejected(a, incarnation, reason, kit.clock()));
    }

    /** Renews the lease of a held task it still runs (a {@code LEASE_EXTENSION}, which is not a result). */
    public void extendLease(String taskId) {
        extend(assignmentOf(taskId));
    }

    private void extend(TaskAssignment a) {
        kit.harness().report(a.getRoutingKey(), AttemptCall.leaseExtension(a, incarnation, kit.clock()));
    }

    /** Heartbeats {@code DRAINING}: the dispatcher sends it nothing new; held tasks may still finish. */
    public void drain() {
        status = WorkerStatus.DRAINING;
        heartbeat();
    }

    /** Heartbeats {@code READY} again after {@link #drain()}. */
    public void resume() {
        status = WorkerStatus.READY;
        heartbeat();
    }

    /** Stops heartbeating without a word, as a killed process does; the dispatcher finds out by silence. */
    public void crash() {
        up = false;
    }

    /** Says goodbye ({@code LEAVING}) and stops heartbeating, as a worker shut down gracefully does. */
    public void leave() {
        status = WorkerStatus.LEAVING;
        heartbeat();
        up = false;
    }

    /** Comes back as a new process: the next incarnation, holding nothing, heartbeating {@code READY}. */
    public void restart() {
        kit.collect();
        incarnation++;
        held.clear();
        status = WorkerStatus.READY;
        up = true;
        heartbeat();
    }

    /** True while it heartbeats. */
    public boolean isUp() {
        return up;
    }

    /** Sends one heartbeat now with what it holds as its load. */
    void heartbeat() {
        kit.harness().heartbeat(WorkerHeartbeat.newBuilder()
                .setWorkerId(id).setIncarnation(incarnation).setStatus(status).setLabels(labels)
                .setCapacity(capacity).setInFlight(held.size())
                .setHeartbeatIntervalMs((int) DispatcherTestKit.HEARTBEAT_INTERVAL.toMillis())
                .setSentAt(kit.harness().now()).build());
        kit.collect();
    }

    /** Takes in what the dispatcher sent since the last look. */
    void receive(List<TaskAssignment> assignments) {
        for (TaskAssignment a : assignments) {
            received.add(a);
            if (up) {
                held.put(a.getTask().getId(), a);
            }
        }
    }

    private TaskAssignment assignmentOf(String taskId) {
        kit.collect();
        TaskAssignment a = held.get(taskId);
        if (a == null) {
            throw new IllegalStateException("worker " + id + " holds no assignment of task " + taskId
                    + "; it holds " + held.keySet());
        }
        return a;
    }

    private TaskAssignment take(String taskId) {
        TaskAssignment a = assignmentOf(taskId);
        held.remove(taskId);
        return a;
    }

    private TaskResult report(TaskAssignment a, TaskResult result) {
        kit.harness().report(a.getRoutingKey(), result);
        if (result.getStatus() == ResultStatus.SUCCEEDED) {
            kit.finished(result);
        }
        kit.collect();
        return result;
    }

    /**
     * The lease of a handler {@link #run} runs: {@code TaskContext.extendLease()} sends the extension at once.
     * There are no automatic renewals: the handler runs within one instant of driven time.
     */
    private final class Lease implements AttemptCall.Lease {
        private final TaskAssignment assignment;

        Lease(TaskAssignment assignment) {
            this.assignment = assignment;
        }

        @Override
        public void extend() {
            FakeWorker.this.extend(assignment);
        }

        @Override
        public void close() {
        }
    }

    /** What {@link #fail} throws inside the handler call, so the SDK's rule turns it into the error. */
    private static final class TaskFailure extends RuntimeException {
        TaskFailure(String message) {
            super(message);
        }
    }
}
