package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetterReason;
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
 * The heart of the dispatcher: one instance per stream task, fed by the intake topic ({@link Task}
 * values) and the results topic ({@link TaskResult} values), both keyed so that a task and its results
 * reach the same instance.
 *
 * <p>A task is validated, routed by the {@link io.kdispatch.dispatcher.routing.Router} and either sent
 * to its worker's topic (and remembered as an assignment) or parked until a worker can take it. A
 * result closes the assignment, or sends a failed attempt elsewhere until it runs out of attempts.
 * On a wall-clock tick the worker view is re-judged; parked tasks are retried and the tasks of dead
 * workers or expired leases are dispatched again.
 */
final class DispatchProcessor implements Processor<String, Object, String, SpecificRecord> {
    static final String ASSIGNMENT_SINK = "assignment-sink";
    static final String DEAD_LETTER_SINK = "dead-letter-sink";
    private static final int MAX_RELEASED_PER_TICK = 10_000;

    private final TopologySettings settings;
    private final DispatchMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, TaskAssignment> assignments;
    private PendingQueue pending;
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
        ReadOnlyKeyValueStore<String, WorkerSighting> view = context.getStateStore(StoreNames.WORKER_VIEW);
        this.fleet = new FleetTracker(view, settings.liveness(), log);
        fleet.refresh(context.currentSystemTimeMs());
        context.schedule(settings.tickInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, Object> record) {
        if (record.value() instanceof Task task) {
            onTask(record.key(), task);
        } else if (record.value() instanceof TaskResult result) {
            onResult(result);
        } else if (record.value() == null) {
            log.warn("Ignored a record with no value (key '{}'): tombstones mean nothing on intake or results",
                    record.key());
        } else {
            throw new IllegalArgumentException("unexpected value type " + record.value().getClass().getName());
        }
    }

    private void onTask(String key, Task task) {
        long now = context.currentSystemTimeMs();
        String problem = TaskValidator.problem(key, task);
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
        int attempt = previous == null ? 1 : previous.getAttempt() + 1;
        if (previous != null) {
            metrics.redispatched("resubmitted");
        }
        route(attemptOf(task, attempt, ""), now);
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
            case SUCCEEDED -> assignments.delete(result.getTaskId());
            case LEASE_EXTENSION -> {
                current.setLeaseDeadline(Instant.ofEpochMilli(now + settings.leaseDuration().toMillis()));
                assignments.put(result.getTaskId(), current);
            }
            case FAILED, REJECTED -> retryOrGiveUp(current, result.getStatus().name().toLowerCase(),
                    result.getError(), now);
        }
    }

    /** Sends a failed or lost attempt elsewhere, or dead-letters the task when it has no attempts left. */
    private void retryOrGiveUp(TaskAssignment current, String why, String error, long now) {
        Task task = current.getTask();
        if (current.getAttempt() >= task.getMaxAttempts()) {
            assignments.delete(task.getId());
            AttemptRecord last = new AttemptRecord(current.getAttempt(), current.getWorkerId(), why, error,
                    Instant.ofEpochMilli(now));
            deadLetter(task, DeadLetterReason.MAX_ATTEMPTS, "gave up after " + current.getAttempt()
                    + " attempts; last: " + why + (error == null ? "" : " (" + error + ")"), List.of(last), now);
            return;
        }
        metrics.redispatched(why);
        route(attemptOf(task, current.getAttempt() + 1, current.getWorkerId()), now);
    }

    /** Routes one attempt: to a worker's topic, or into the pending queue. */
    private void route(TaskAssignment attempt, long now) {
        RoutingDecision decision = trySend(attempt, now);
        if (decision instanceof RoutingDecision.Parked parked) {
            assignments.delete(attempt.getTask().getId());
            pending.park(attempt, now);
            metrics.parked();
            log.debug("Parked task {}: {} {}", attempt.getTask().getId(), parked.reason(), parked.excluded());
        }
    }

    /** Sends {@code attempt} to the worker the router picks, if any; returns the decision. */
    private RoutingDecision trySend(TaskAssignment attempt, long now) {
        Task task = attempt.getTask();
        Set<String> avoid = attempt.getWorkerId().isEmpty() ? Set.of() : Set.of(attempt.getWorkerId());
        RoutingDecision decision = fleet.router().decide(Requests.of(task, avoid));
        if (decision instanceof RoutingDecision.Assigned assigned) {
            TaskAssignment sent = TaskAssignment.newBuilder(attempt)
                    .setWorkerId(assigned.workerId())
                    .setWorkerIncarnation(fleet.incarnation(assigned.workerId()))
                    .setStrategy(assigned.rule())
                    .setAssignedAt(Instant.ofEpochMilli(now))
                    .setLeaseDeadline(Instant.ofEpochMilli(now + settings.leaseDuration().toMillis()))
                    .build();
            assignments.put(task.getId(), sent);
            context.forward(new Record<>(task.getId(), (SpecificRecord) sent, now), ASSIGNMENT_SINK);
            metrics.routed(assigned.rule());
        }
        return decision;
    }

    private void tick(long now) {
        Set<String> lost = fleet.refresh(now);
        if (!lost.isEmpty() || now >= nextLeaseScanMs) {
            reclaim(lost, now);
            nextLeaseScanMs = now + Math.min(1_000, settings.leaseDuration().toMillis());
        }
        releaseParked(now);
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

    private void releaseParked(long now) {
        if (fleet.router().workers().isEmpty()) {
            return;
        }
        // A task that still cannot go keeps its place (and so its arrival order).
        for (KeyValue<String, TaskAssignment> entry : pending.head(MAX_RELEASED_PER_TICK)) {
            if (trySend(entry.value, now) instanceof RoutingDecision.Assigned) {
                pending.remove(entry.key);
            }
        }
    }

    private void deadLetter(Task task, DeadLetterReason reason, String detail, List<AttemptRecord> attempts,
                            long now) {
        log.info("Dead-lettering task {}: {} ({})", task.getId(), reason, detail);
        context.forward(new Record<>(task.getId(),
                (SpecificRecord) DeadLetters.forTask(task, reason, detail, attempts, now), now), DEAD_LETTER_SINK);
        metrics.deadLettered(reason.name());
    }

    private static TaskAssignment attemptOf(Task task, int attempt, String avoidWorker) {
        return TaskAssignment.newBuilder()
                .setTask(task)
                .setWorkerId(avoidWorker)
                .setAttempt(attempt)
                .setRoutingKey(task.getId())
                .setAssignedAt(Instant.EPOCH)
                .setLeaseDeadline(Instant.EPOCH)
                .build();
    }
}
