package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.dispatcher.routing.RoutingRequest;
import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerSighting;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;

/**
 * The heart of the dispatcher: one instance per stream task, fed by tasks (re-keyed by routing key) and
 * results (keyed by the same routing key), so a task, its results and every member of its anti-affinity
 * group meet in one instance.
 *
 * <p>A task is validated, routed by the {@link io.kdispatch.dispatcher.routing.Router} and either sent
 * to its worker's topic (and remembered as an assignment) or parked until a worker can take it; either
 * way its decision is explained on the decisions topic. A result closes the assignment, or sends a
 * failed attempt elsewhere until it runs out of attempts. On a wall-clock tick the worker view is
 * re-judged; parked tasks are retried and the tasks of dead workers or expired leases dispatched again.
 */
final class DispatchProcessor implements Processor<String, Object, String, SpecificRecord> {
    private static final int MAX_RELEASED_PER_TICK = 10_000;
    private static final int PARKED_RETRIED_PER_RESULT = 8;

    private final TopologySettings settings;
    private final DispatchMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, TaskAssignment> assignments;
    private PendingQueue pending;
    private GroupIndex groups;
    private LoadTracker loads;
    private FleetTracker fleet;
    private Logger log;
    private long nextLeaseScanMs;

    DispatchProcessor(TopologySettings settings, DispatchMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.log = new LogContext("[dispatch " + context.taskId() + "] ").logger(DispatchProcessor.class);
        this.assignments = context.getStateStore(StoreNames.ASSIGNMENTS);
        this.pending = new PendingQueue(context.getStateStore(StoreNames.PENDING));
        this.groups = new GroupIndex(context.getStateStore(StoreNames.GROUPS));
        this.loads = new LoadTracker();
        ReadOnlyKeyValueStore<String, WorkerSighting> view = context.getStateStore(StoreNames.WORKER_VIEW);
        this.fleet = new FleetTracker(view, settings.liveness(), settings.routing(), loads, log,
                context.taskId().partition() == 0);
        fleet.refresh(context.currentSystemTimeMs());
        context.schedule(settings.tickInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof Task task) {
            onTask(RekeyProcessor.mismatchedKey(record.headers()), task);
        } else if (record.value() instanceof TaskResult result) {
            onResult(result);
        } else if (record.value() == null) {
            log.warn("Ignored a record with no value (key '{}'): tombstones mean nothing on intake or results",
                    record.key());
        } else {
            throw new IllegalArgumentException("unexpected value type " + record.value().getClass().getName());
        }
    }

    private void onTask(String mismatchedKey, Task task) {
        long now = context.currentSystemTimeMs();
        String problem = TaskValidator.problem(mismatchedKey, task);
        if (problem != null) {
            deadLetter(task, DeadLetterReason.INVALID_TASK, problem, List.of(), now);
            return;
        }
        if (task.getDeadline() != null && task.getDeadline().toEpochMilli() <= now) {
            deadLetter(task, DeadLetterReason.DEADLINE_EXPIRED, "deadline " + task.getDeadline()
                    + " passed before dispatch", List.of(), now);
            return;
        }
        TaskAssignment previous = assignments.get(task.getId());
        if (previous != null) {
            metrics.redispatched("resubmitted");
        }
        TaskAssignment attempt = attemptOf(task, previous == null ? 1 : previous.getAttempt() + 1, "");
        route(attempt, previous == null ? null : previous.getWorkerId(), now);
    }

    private void onResult(TaskResult result) {
        TaskAssignment current = assignments.get(result.getTaskId());
        if (current == null || current.getAttempt() != result.getAttempt()
                || !current.getWorkerId().equals(result.getWorkerId())) {
            metrics.staleResult();
            log.debug("Ignored stale result for task {} attempt {} from {}", result.getTaskId(), result.getAttempt(),
                    result.getWorkerId());
            return;
        }
        long now = context.currentSystemTimeMs();
        metrics.resultAccepted(result.getStatus().name());
        switch (result.getStatus()) {
            case SUCCEEDED -> {
                loads.completed(result.getWorkerId(), result.getDurationMs());
                close(current);
            }
            case LEASE_EXTENSION -> {
                current.setLeaseDeadline(Instant.ofEpochMilli(now + settings.leaseDuration().toMillis()));
                assignments.put(result.getTaskId(), current);
            }
            case FAILED, REJECTED -> {
                if (result.getStatus() == ResultStatus.FAILED) {
                    loads.completed(result.getWorkerId(), result.getDurationMs());
                } else {
                    loads.finished(result.getWorkerId());
                }
                retryOrGiveUp(current, result.getStatus().name().toLowerCase(), result.getError(), now);
            }
        }
        // A result frees room on a worker: let the oldest parked tasks try at once, not at the next tick.
        releaseParked(now, PARKED_RETRIED_PER_RESULT);
    }

    /** Sends a failed or lost attempt elsewhere, or dead-letters the task when it has no attempts left. */
    private void retryOrGiveUp(TaskAssignment current, String why, String error, long now) {
        Task task = current.getTask();
        if (current.getAttempt() >= task.getMaxAttempts()) {
            close(current);
            AttemptRecord last = new AttemptRecord(current.getAttempt(), current.getWorkerId(), why, error,
                    Instant.ofEpochMilli(now));
            deadLetter(task, DeadLetterReason.MAX_ATTEMPTS, "gave up after " + current.getAttempt()
                    + " attempts; last: " + why + (error == null ? "" : " (" + error + ")"), List.of(last), now);
            return;
        }
        metrics.redispatched(why);
        route(attemptOf(task, current.getAttempt() + 1, current.getWorkerId()), null, now);
    }

    /** Routes one attempt: to a worker's topic, or into the pending queue. */
    private void route(TaskAssignment attempt, String stickyWorker, long now) {
        RoutingDecision decision = trySend(attempt, stickyWorker, now);
        if (decision instanceof RoutingDecision.Parked parked) {
            String taskId = attempt.getTask().getId();
            assignments.delete(taskId);
            groups.release(RoutingKeys.group(attempt.getTask()), taskId);
            pending.park(attempt, now);
            metrics.parked();
            explain(attempt, decision, now);
            log.debug("Parked task {}: {} {}", taskId, parked.reason(), parked.excluded());
        }
    }

    /** Sends {@code attempt} to the worker the router picks, if any; returns the decision. */
    private RoutingDecision trySend(TaskAssignment attempt, String stickyWorker, long now) {
        Task task = attempt.getTask();
        String group = RoutingKeys.group(task);
        Set<String> avoid = attempt.getWorkerId().isEmpty() ? Set.of() : Set.of(attempt.getWorkerId());
        RoutingRequest request = new RoutingRequest(task.getId(), blankToNull(task.getAffinityKey()),
                Requests.rules(task), task.getPreferredLabels(), stickyWorker, avoid, group,
                groups.occupied(group, task.getId()));
        RoutingDecision decision = fleet.router().decide(request, loads);
        if (decision instanceof RoutingDecision.Assigned assigned) {
            TaskAssignment sent = TaskAssignment.newBuilder(attempt)
                    .setWorkerId(assigned.workerId())
                    .setRoutingKey(RoutingKeys.of(task.getId(), task))
                    .setWorkerIncarnation(fleet.incarnation(assigned.workerId()))
                    .setStrategy(assigned.rule())
                    .setAssignedAt(Instant.ofEpochMilli(now))
                    .setLeaseDeadline(Instant.ofEpochMilli(now + settings.leaseDuration().toMillis()))
                    .build();
            assignments.put(task.getId(), sent);
            groups.running(group, task.getId(), assigned.workerId());
            loads.sent(assigned.workerId());
            context.forward(new Record<>(task.getId(), (SpecificRecord) sent, now));
            metrics.routed(assigned.strategy());
            explain(sent, decision, now);
        }
        return decision;
    }

    private void tick(long now) {
        Set<String> lost = fleet.refresh(now);
        if (!lost.isEmpty() || now >= nextLeaseScanMs) {
            reclaim(lost, now);
            nextLeaseScanMs = now + Math.min(1_000, settings.leaseDuration().toMillis());
        }
        releaseParked(now, MAX_RELEASED_PER_TICK);
    }

    /** Dispatches again the attempts held by lost workers and those whose lease expired. */
    private void reclaim(Set<String> lost, long now) {
        List<TaskAssignment> reclaimed = new ArrayList<>();
        try (KeyValueIterator<String, TaskAssignment> it = assignments.all()) {
            while (it.hasNext()) {
                TaskAssignment a = it.next().value;
                if (lost.contains(a.getWorkerId()) || a.getLeaseDeadline().toEpochMilli() <= now) {
                    reclaimed.add(a);
                }
            }
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (TaskAssignment a : reclaimed) {
            String why = lost.contains(a.getWorkerId()) ? "worker-lost" : "lease-expired";
            counts.merge(a.getWorkerId() + " (" + why + ")", 1, Integer::sum);
            log.debug("Re-dispatching task {} attempt {} from {}: {}", a.getTask().getId(), a.getAttempt(),
                    a.getWorkerId(), why);
            retryOrGiveUp(a, why, null, now);
        }
        counts.forEach((from, n) -> log.info("Re-dispatched {} task(s) from {}", n, from));
    }

    private void releaseParked(long now, int limit) {
        if (fleet.router().workers().isEmpty()) {
            return;
        }
        // A task that still cannot go keeps its place (and so its arrival order).
        for (KeyValue<String, TaskAssignment> entry : pending.head(limit)) {
            if (trySend(entry.value, null, now) instanceof RoutingDecision.Assigned) {
                pending.remove(entry.key);
            }
        }
    }

    /** Forgets a finished attempt: its assignment and its place in its anti-affinity group. */
    private void close(TaskAssignment attempt) {
        String taskId = attempt.getTask().getId();
        assignments.delete(taskId);
        groups.release(RoutingKeys.group(attempt.getTask()), taskId);
    }

    private void explain(TaskAssignment attempt, RoutingDecision decision, long now) {
        if (settings.decisions()) {
            context.forward(new Record<>(attempt.getTask().getId(), (SpecificRecord) Explanations.of(attempt,
                    decision, RoutingKeys.of(attempt.getTask().getId(), attempt.getTask()),
                    context.taskId().toString(), now), now));
        }
    }

    private void deadLetter(Task task, DeadLetterReason reason, String detail, List<AttemptRecord> attempts,
                            long now) {
        log.info("Dead-lettering task {}: {} ({})", task.getId(), reason, detail);
        context.forward(new Record<>(task.getId(),
                (SpecificRecord) DeadLetters.forTask(task, reason, detail, attempts, now), now));
        metrics.deadLettered(reason.name());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static TaskAssignment attemptOf(Task task, int attempt, String avoidWorker) {
        return TaskAssignment.newBuilder()
                .setTask(task)
                .setWorkerId(avoidWorker)
                .setAttempt(attempt)
                .setRoutingKey(RoutingKeys.of(task.getId(), task))
                .setAssignedAt(Instant.EPOCH)
                .setLeaseDeadline(Instant.EPOCH)
                .build();
    }
}
