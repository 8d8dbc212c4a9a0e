package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.control.ControlState;
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
    private BreakerBoard breakers;
    private ControlView control;
    private ControlState controlState = ControlState.EMPTY;
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
        this.control = new ControlView(context.getStateStore(StoreNames.CONTROL));
        this.controlState = control.current();
        this.breakers = new BreakerBoard(context.getStateStore(StoreNames.BREAKERS),
                controlState.breaker().apply(settings.health().breaker()), metrics, log);
        ReadOnlyKeyValueStore<String, WorkerSighting> view = context.getStateStore(StoreNames.WORKER_VIEW);
        this.fleet = new FleetTracker(view, settings.liveness(), controlState.routing(settings.routing()), loads, log,
                context.taskId().partition() == 0, metrics);
        fleet.refresh(context.currentSystemTimeMs(), flags());
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

    @Override
    public void close() {
        metrics.pending(context.taskId().toString(), 0); // this task may now run elsewhere
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
        TaskAssignment attempt = Attempts.attemptOf(task, previous == null ? 1 : previous.getAttempt() + 1, "");
        route(attempt, previous == null ? null : previous.getWorkerId(), now);
    }

    private void onResult(TaskResult result) {
        TaskAssignment current = assignments.get(result.getTaskId());
        if (current == null || current.getAttempt() != result.getAttempt()
                || !current.getWorkerId().equals(result.getWorkerId()) || Attempts.otherIncarnation(current, result)) {
            metrics.staleResult();
            log.debug("Ignored stale result for task {} attempt {} from {}", result.getTaskId(), result.getAttempt(),
                    result.getWorkerId());
            return;
        }
        long now = context.currentSystemTimeMs();
        metrics.resultAccepted(result.getStatus().name());
        String worker = result.getWorkerId();
        boolean breakerChanged = false;
        switch (result.getStatus()) {
            case SUCCEEDED -> {
                loads.completed(worker, result.getDurationMs());
                if (current.getTask().getSubmittedAt() != null) {
                    metrics.completed(now - current.getTask().getSubmittedAt().toEpochMilli());
                }
                breakerChanged = breakers.record(worker, slow(result), now, fleet.size());
                close(current);
            }
            case LEASE_EXTENSION -> {
                current.setLeaseDeadline(Instant.ofEpochMilli(now + settings.leaseDuration().toMillis()));
                assignments.put(result.getTaskId(), current);
            }
            case FAILED, REJECTED -> {
                if (result.getStatus() == ResultStatus.FAILED) {
                    loads.completed(worker, result.getDurationMs());
                } else {
                    loads.finished(worker);
                }
                breakerChanged = breakers.record(worker, true, now, fleet.size());
                retryFailed(current, result.getStatus().name().toLowerCase(), result.getError(), now);
            }
        }
        if (breakerChanged) {
            fleet.reflag(flags());
        }
        // A result frees room on a worker: let the oldest parked tasks try at once, not at the next tick.
        releaseParked(now, PARKED_RETRIED_PER_RESULT);
    }

    /** A failed or rejected attempt is retried elsewhere after a backoff, until it has failed maxAttempts times. */
    private void retryFailed(TaskAssignment current, String why, String error, long now) {
        Task task = current.getTask();
        List<AttemptRecord> history = Attempts.withAttempt(current, why, error, now);
        int failures = current.getFailures() + 1;
        if (failures >= task.getMaxAttempts()) {
            close(current);
            deadLetter(task, DeadLetterReason.MAX_ATTEMPTS, "gave up after " + failures + " failed attempt(s); last: "
                    + why + (error == null ? "" : " (" + error + ")"), history, now);
            return;
        }
        metrics.redispatched(why);
        TaskAssignment next = Attempts.nextAttempt(current, history, failures, current.getLosses(),
                now + settings.health().backoffMillis(failures, task.getId()));
        retry(next, now);
    }

    /**
     * An attempt lost with a dead worker or an expired lease is sent again at once; a task lost too often
     * is a poison task (it may be what kills workers) and is dead-lettered.
     */
    private void retryLost(TaskAssignment current, String why, long now) {
        Task task = current.getTask();
        List<AttemptRecord> history = Attempts.withAttempt(current, why, null, now);
        int losses = current.getLosses() + 1;
        if (losses >= settings.health().poisonMaxLosses()) {
            close(current);
            deadLetter(task, DeadLetterReason.POISON, "lost " + losses + " time(s) with a dead worker or an "
                    + "expired lease; last: " + why + " on " + current.getWorkerId(), history, now);
            return;
        }
        metrics.redispatched(why);
        retry(Attempts.nextAttempt(current, history, current.getFailures(), losses, now), now);
    }

    private void retry(TaskAssignment next, long now) {
        Task task = next.getTask();
        if (task.getDeadline() != null && task.getDeadline().toEpochMilli() <= now) {
            close(next);
            deadLetter(task, DeadLetterReason.DEADLINE_EXPIRED, "deadline " + task.getDeadline()
                    + " passed before attempt " + next.getAttempt(), next.getHistory(), now);
            return;
        }
        route(next, null, now);
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
        if (attempt.getNotBefore().toEpochMilli() > now) {
            return new RoutingDecision.Parked("retry backs off until " + attempt.getNotBefore(), Map.of());
        }
        if (controlState.paused(task.getType())) {
            return new RoutingDecision.Parked("task type " + task.getType() + " is paused by an operator", Map.of());
        }
        String group = RoutingKeys.group(task);
        Set<String> avoid = attempt.getWorkerId().isEmpty() ? Set.of() : Set.of(attempt.getWorkerId());
        RoutingRequest request = new RoutingRequest(task.getId(), blankToNull(task.getAffinityKey()),
                Requests.rules(task), task.getPreferredLabels(), stickyWorker, avoid, group,
                groups.occupied(group, task.getId()));
        long started = System.nanoTime();
        RoutingDecision decision = fleet.router().decide(request, loads);
        metrics.decided(System.nanoTime() - started);
        if (decision instanceof RoutingDecision.Assigned assigned) {
            TaskAssignment sent = TaskAssignment.newBuilder(attempt)
                    .setWorkerId(assigned.workerId())
                    .setRoutingKey(RoutingKeys.of(task.getId(), task))
                    .setWorkerIncarnation(fleet.incarnation(assigned.workerId()))
                    .setStrategy(assigned.rule())
                    .setAssignedAt(Instant.ofEpochMilli(now))
                    .setLeaseDeadline(Instant.ofEpochMilli(now + settings.leaseDuration().toMillis()))
                    .setLeaseMs(settings.leaseDuration().toMillis())
                    .build();
            assignments.put(task.getId(), sent);
            groups.running(group, task.getId(), assigned.workerId());
            loads.sent(assigned.workerId());
            if (breakers.sent(assigned.workerId())) {
                fleet.reflag(flags());
            }
            context.forward(new Record<>(task.getId(), (SpecificRecord) sent, now));
            metrics.routed(assigned.strategy());
            explain(sent, decision, now);
        }
        return decision;
    }

    private void tick(long now) {
        ControlState latest = control.current();
        if (latest != controlState) {
            // Run-time control: a new strategy, split, bound or prefetch takes effect on the next decision.
            controlState = latest;
            fleet.reconfigure(latest.routing(settings.routing()));
            breakers.repolicy(latest.breaker().apply(settings.health().breaker()));
        }
        breakers.tick(now);
        Set<String> lost = fleet.refresh(now, flags());
        if (!lost.isEmpty() || now >= nextLeaseScanMs) {
            reclaim(lost, now);
            nextLeaseScanMs = now + Math.min(1_000, settings.leaseDuration().toMillis());
        }
        releaseParked(now, MAX_RELEASED_PER_TICK);
        metrics.pending(context.taskId().toString(), pending.size());
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
            retryLost(a, why, now);
        }
        counts.forEach((from, n) -> log.info("Re-dispatched {} task(s) from {}", n, from));
    }

    private void releaseParked(long now, int limit) {
        if (fleet.router().workers().isEmpty()) {
            return;
        }
        // A task that still cannot go keeps its place (and so its arrival order).
        for (KeyValue<String, TaskAssignment> entry : pending.head(limit)) {
            TaskAssignment waiting = entry.value;
            Task task = waiting.getTask();
            if (task.getDeadline() != null && task.getDeadline().toEpochMilli() <= now) {
                pending.remove(entry.key);
                deadLetter(task, DeadLetterReason.DEADLINE_EXPIRED, "deadline " + task.getDeadline()
                        + " passed while waiting for a worker", waiting.getHistory(), now);
            } else if (waiting.getNotBefore().toEpochMilli() <= now
                    && trySend(waiting, null, now) instanceof RoutingDecision.Assigned) {
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

    private FleetTracker.WorkerFlags flags() {
        ControlState state = controlState;
        return new FleetTracker.WorkerFlags() {
            @Override
            public boolean breakerOpen(String workerId) {
                return breakers.unavailable(workerId);
            }

            @Override
            public boolean cordoned(String workerId) {
                return state.cordoned(workerId);
            }

            @Override
            public boolean draining(String workerId) {
                return state.draining(workerId);
            }
        };
    }

    private boolean slow(TaskResult result) {
        long threshold = settings.health().breaker().slowCallMs();
        return threshold > 0 && result.getDurationMs() > threshold;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
