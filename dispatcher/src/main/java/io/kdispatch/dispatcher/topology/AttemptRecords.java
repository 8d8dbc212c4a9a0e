package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.AttemptState;
import io.kdispatch.dispatcher.attempt.Outcome;
import io.kdispatch.dispatcher.attempt.ResultFacts;
import io.kdispatch.dispatcher.attempt.TaskFacts;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.StoredAttemptState;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates between the wire and store records and the attempt lifecycle's plain values: the wire
 * {@link Task} and {@link TaskResult} into facts, the core {@link Attempt} to and from its store record
 * {@link StoredAttempt}, and a sent attempt into the {@link TaskAssignment} its worker receives.
 */
final class AttemptRecords {
    private AttemptRecords() {
    }

    static TaskFacts facts(Task task, Tenancy tenancy) {
        return new TaskFacts(task.getId(), task.getType(), task.getPriority(), task.getMaxAttempts(),
                task.getDeadline() == null ? TaskFacts.NO_DEADLINE : task.getDeadline().toEpochMilli(),
                task.getAffinityKey(), task.getAntiAffinityGroup(),
                task.getSubmittedAt() == null ? TaskFacts.UNKNOWN : task.getSubmittedAt().toEpochMilli(),
                Requests.rules(task), task.getPreferredLabels(), tenancy.tenantOf(task.getHeaders()));
    }

    static ResultFacts result(TaskResult r) {
        ResultFacts.Status status = switch (r.getStatus()) {
            case SUCCEEDED -> ResultFacts.Status.SUCCEEDED;
            case FAILED -> ResultFacts.Status.FAILED;
            case REJECTED -> ResultFacts.Status.REJECTED;
            case LEASE_EXTENSION -> throw new IllegalArgumentException("a lease extension is not a result");
        };
        return new ResultFacts(r.getTaskId(), r.getWorkerId(), r.getWorkerIncarnation(), r.getAttempt(), status,
                boundedError(r.getError()), r.getDurationMs(), r.getQueuedMs());
    }

    /**
     * Longest worker error kept in a task's history, in characters: the history lives in the stored attempt
     * (and its changelog record) and in the dead letter, up to one entry per attempt and loss (200 at most),
     * and a handler may throw with a message of any size: 200 of these stay far below Kafka's record limit.
     */
    static final int MAX_ERROR_LENGTH = 500;

    static String boundedError(String error) {
        if (error == null || error.length() <= MAX_ERROR_LENGTH) {
            return error;
        }
        return error.substring(0, MAX_ERROR_LENGTH) + "... (" + error.length() + " chars)";
    }

    /**
     * The store record of {@code attempt}, a live attempt of {@code task}, at place {@code queueSeq}, waiting
     * since {@code waitingSince} (0 when it does not wait).
     */
    static StoredAttempt stored(Attempt attempt, Task task, long queueSeq, long waitingSince) {
        return StoredAttempt.newBuilder()
                .setTask(task)
                .setAttempt(attempt.number())
                .setState(StoredAttemptState.valueOf(attempt.state().name()))
                .setWorkerId(attempt.workerId())
                .setWorkerIncarnation(attempt.incarnation())
                .setAssignedAt(attempt.assignedAtMs())
                .setLeaseDeadline(attempt.leaseDeadlineMs())
                .setFailures(attempt.failures())
                .setLosses(attempt.losses())
                .setNotBefore(attempt.notBeforeMs())
                .setAvoidWorker(attempt.avoidWorker())
                .setRetry(attempt.retry())
                .setQueueSeq(queueSeq)
                .setWaitingSince(waitingSince)
                .setHistory(records(attempt.history()))
                .build();
    }

    /** The lifecycle's view of a stored attempt. */
    static Attempt attempt(StoredAttempt s, Tenancy tenancy) {
        List<Outcome> history = new ArrayList<>(s.getHistory().size());
        for (AttemptRecord r : s.getHistory()) {
            history.add(new Outcome(r.getAttempt(), r.getWorkerId(), r.getOutcome(), r.getError(),
                    r.getAt().toEpochMilli()));
        }
        return new Attempt(facts(s.getTask(), tenancy), s.getAttempt(), AttemptState.valueOf(s.getState().name()),
                s.getWorkerId(), s.getWorkerIncarnation(), s.getAssignedAt(), s.getLeaseDeadline(), s.getFailures(),
                s.getLosses(), s.getNotBefore(), s.getAvoidWorker(), s.getRetry(), history);
    }

    /**
     * What the worker of a sent attempt receives.
     *
     * @param tenantWeight the weight of the attempt's tenant in fair queuing, by which the worker takes turns too
     */
    static TaskAssignment wire(Attempt sent, Task task, RoutingDecision.Assigned decision, String routingKey,
                               long leaseMs, int tenantWeight) {
        return TaskAssignment.newBuilder()
                .setTask(task)
                .setWorkerId(sent.workerId())
                .setAttempt(sent.number())
                .setRoutingKey(routingKey)
                .setAssignedAt(Instant.ofEpochMilli(sent.assignedAtMs()))
                .setLeaseDeadline(Instant.ofEpochMilli(sent.leaseDeadlineMs()))
                .setLeaseMs(leaseMs)
                .setWorkerIncarnation(sent.incarnation())
                .setStrategy(decision.rule())
                .setTenant(sent.task().tenant())
                .setTenantWeight(tenantWeight)
                .build();
    }

    static List<AttemptRecord> records(List<Outcome> history) {
        List<AttemptRecord> records = new ArrayList<>(history.size());
        for (Outcome o : history) {
            records.add(new AttemptRecord(o.attempt(), o.workerId(), o.outcome(), o.error(), Instant.ofEpochMilli(o.atMs())));
        }
        return records;
    }
}
