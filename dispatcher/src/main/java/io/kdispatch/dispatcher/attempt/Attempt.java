package io.kdispatch.dispatcher.attempt;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One live attempt of a task, as an immutable value: every change returns a new one. The lifecycle
 * ({@link AttemptMachine}) is the only code that makes them.
 *
 * @param task the task
 * @param number 1 for the first attempt; results must echo it
 * @param state where the attempt is
 * @param workerId the worker it was sent to (ASSIGNED), else null
 * @param incarnation that worker's incarnation when it was sent (0 unknown), else 0
 * @param assignedAtMs when it was sent, else 0
 * @param leaseDeadlineMs when it is presumed lost without a result or extension (ASSIGNED), else 0
 * @param failures attempts so far that ended FAILED or REJECTED
 * @param losses attempts so far lost with a dead worker, a restart or an expired lease
 * @param notBeforeMs a retry waits until then (BACKING_OFF), else 0
 * @param avoidWorker the worker that failed or lost the previous attempt, to route elsewhere if possible
 * @param retry true when this attempt follows a failure or loss (not a fresh intake record)
 * @param history every finished attempt, oldest first
 */
public record Attempt(TaskFacts task, int number, AttemptState state, String workerId, long incarnation,
                      long assignedAtMs, long leaseDeadlineMs, int failures, int losses, long notBeforeMs,
                      String avoidWorker, boolean retry, List<Outcome> history) {
    public Attempt {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(state, "state");
        if (number < 1) {
            throw new IllegalArgumentException("attempt number of task " + task.id() + " must be positive, was " + number);
        }
        if (state == AttemptState.ASSIGNED && workerId == null) {
            throw new IllegalArgumentException("an ASSIGNED attempt of task " + task.id() + " needs a worker");
        }
        history = List.copyOf(history);
    }

    /** A fresh attempt of a task from the intake, not yet routed. */
    static Attempt first(TaskFacts task, int number) {
        return new Attempt(task, number, AttemptState.PENDING, null, 0, 0, 0, 0, 0, 0, null, false, List.of());
    }

    public String taskId() {
        return task.id();
    }

    /** This attempt sent to {@code worker} at {@code nowMs} with a lease of {@code leaseMs}. */
    Attempt assigned(String worker, long workerIncarnation, long nowMs, long leaseMs) {
        return new Attempt(task, number, AttemptState.ASSIGNED, worker, workerIncarnation, nowMs,
                saturatedAdd(nowMs, leaseMs), failures, losses, 0, avoidWorker, retry, history);
    }

    /** This attempt waiting in {@code waitState} (PENDING or BACKING_OFF). */
    Attempt waiting(AttemptState waitState) {
        return new Attempt(task, number, waitState, null, 0, 0, 0, failures, losses, notBeforeMs, avoidWorker, retry,
                history);
    }

    /** This attempt with its lease renewed to end at {@code deadlineMs}. */
    Attempt extended(long deadlineMs) {
        return new Attempt(task, number, state, workerId, incarnation, assignedAtMs, deadlineMs, failures, losses,
                notBeforeMs, avoidWorker, retry, history);
    }

    /** This attempt in a terminal state, for the effects that report it. */
    Attempt ended(AttemptState terminal) {
        return new Attempt(task, number, terminal, workerId, incarnation, assignedAtMs, leaseDeadlineMs, failures,
                losses, notBeforeMs, avoidWorker, retry, history);
    }

    /**
     * The attempt that follows this one after it ended with {@code outcome}: the next number, the counters
     * given, the outcome in the history, and the worker it ran on to avoid.
     */
    Attempt next(Outcome outcome, int nextFailures, int nextLosses, long nextNotBeforeMs) {
        List<Outcome> h = new ArrayList<>(history);
        h.add(outcome);
        return new Attempt(task, number + 1, AttemptState.PENDING, null, 0, 0, 0, nextFailures, nextLosses,
                nextNotBeforeMs, outcome.workerId(), true, h);
    }

    /** This attempt's history with {@code outcome} added (for a dead letter). */
    List<Outcome> historyWith(Outcome outcome) {
        List<Outcome> h = new ArrayList<>(history);
        h.add(outcome);
        return List.copyOf(h);
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
