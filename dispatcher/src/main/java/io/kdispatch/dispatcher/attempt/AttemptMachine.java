package io.kdispatch.dispatcher.attempt;

import io.kdispatch.dispatcher.routing.RoutingDecision;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The lifecycle of a task's attempts as a pure function per input: {@code (attempt, input, now) ->
 * (attempt', effects)}. No I/O, no clock: the caller passes the time, applies the effects and stores
 * {@link Step#next()}. Every transition is checked against {@link AttemptState#canTransitionTo}.
 *
 * <pre>
 *   intake ──► PENDING ──route──► ASSIGNED ──SUCCEEDED──► DONE
 *                 ▲  │              │ │ └─FAILED/REJECTED─► BACKING_OFF ──backoff over──► (route)
 *                 │  └─deadline──┐  │ └─lost (worker dead, new incarnation, lease)──► (route at once)
 *                 └──no worker───┼──┘        └─ out of attempts / poison / deadline ──► DEAD_LETTERED
 *                                └──────────────────────────────────────────────────► DEAD_LETTERED
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class AttemptMachine {
    private final AttemptPolicy policy;

    public AttemptMachine(AttemptPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    public AttemptPolicy policy() {
        return policy;
    }

    /**
     * A task arrived on the intake. A task ID that is still live is a resubmission: a new attempt (its
     * number one higher, so results of the old one are ignored), sticky to the old one's worker.
     *
     * @param existing the task's live attempt, or null
     */
    public Step submitted(TaskFacts task, Attempt existing, Placement placement, long nowMs) {
        int number = existing == null ? 1 : existing.number() + 1;
        Attempt fresh = Attempt.first(task, number);
        List<Effect> effects = new ArrayList<>();
        if (task.expiredAt(nowMs)) {
            return deadLetter(fresh, DeadLetterCause.DEADLINE_EXPIRED, "deadline " + instant(task.deadlineMs())
                    + " passed before dispatch", fresh.history(), effects);
        }
        if (existing != null) {
            effects.add(new Effect.Retry(fresh, "resubmitted"));
        }
        String sticky = existing != null && existing.state() == AttemptState.ASSIGNED ? existing.workerId() : null;
        return route(fresh, sticky, placement, nowMs, effects, true);
    }

    /** A worker reported how an attempt ended. Stale reports (another attempt, worker or incarnation) are ignored. */
    public Step reported(Attempt current, ResultFacts result, Placement placement, long nowMs) {
        String stale = staleness(current, result.workerId(), result.incarnation(), result.attempt());
        if (stale != null) {
            return new Step(current, List.of(new Effect.Ignore(result.taskId(), stale)));
        }
        List<Effect> effects = new ArrayList<>();
        effects.add(new Effect.Accept(current, result));
        if (result.status() == ResultFacts.Status.SUCCEEDED) {
            Attempt done = checked(current, current.ended(AttemptState.DONE));
            effects.add(new Effect.Finish(done, result.durationMs()));
            return new Step(null, effects);
        }
        String why = result.status() == ResultFacts.Status.FAILED ? "failed" : "rejected";
        Outcome outcome = new Outcome(current.number(), current.workerId(), why, result.error(), nowMs);
        int failures = current.failures() + 1;
        if (failures >= current.task().maxAttempts()) {
            return deadLetter(current, DeadLetterCause.MAX_ATTEMPTS, "gave up after " + failures
                    + " failed attempt(s); last: " + why + (result.error() == null ? "" : " (" + result.error() + ")"),
                    current.historyWith(outcome), effects);
        }
        long notBefore = nowMs + policy.backoffMillis(failures, current.taskId());
        return retry(current, current.next(outcome, failures, current.losses(), notBefore), why, placement, nowMs,
                effects);
    }

    /** The worker still runs the attempt: its lease starts again. Not a result. */
    public Step extended(Attempt current, String workerId, long incarnation, int attempt, long nowMs) {
        String stale = staleness(current, workerId, incarnation, attempt);
        if (stale != null) {
            return new Step(current, List.of(new Effect.Ignore(current == null ? "?" : current.taskId(), stale)));
        }
        return new Step(checked(current, current.extended(nowMs + policy.lease().toMillis())), List.of());
    }

    /**
     * An assigned attempt is lost without a result: sent again at once, elsewhere if possible, until the
     * task has been lost {@link AttemptPolicy#poisonMaxLosses()} times.
     */
    public Step lost(Attempt current, LossCause cause, Placement placement, long nowMs) {
        if (current.state() != AttemptState.ASSIGNED) {
            return Step.unchanged(current);
        }
        Outcome outcome = new Outcome(current.number(), current.workerId(), cause.label(), null, nowMs);
        int losses = current.losses() + 1;
        List<Effect> effects = new ArrayList<>();
        if (losses >= policy.poisonMaxLosses()) {
            return deadLetter(current, DeadLetterCause.POISON, "lost " + losses + " time(s) with a dead worker, a "
                    + "restart or an expired lease; last: " + cause.label() + " on " + current.workerId(),
                    current.historyWith(outcome), effects);
        }
        return retry(current, current.next(outcome, current.failures(), losses, 0), cause.label(), placement, nowMs,
                effects);
    }

    /** A waiting attempt gets another chance (a tick, or room freed on a worker). */
    public Step release(Attempt waiting, Placement placement, long nowMs) {
        if (!waiting.state().isWaiting()) {
            return Step.unchanged(waiting);
        }
        if (waiting.task().expiredAt(nowMs)) {
            return deadLetter(waiting, DeadLetterCause.DEADLINE_EXPIRED, "deadline " + instant(waiting.task()
                    .deadlineMs()) + " passed while waiting for a worker", waiting.history(), new ArrayList<>());
        }
        if (waiting.notBeforeMs() > nowMs) {
            return Step.unchanged(waiting);
        }
        return route(waiting, null, placement, nowMs, new ArrayList<>(), waiting.state() == AttemptState.BACKING_OFF);
    }

    private Step retry(Attempt current, Attempt next, String why, Placement placement, long nowMs,
                       List<Effect> effects) {
        if (next.task().expiredAt(nowMs)) {
            return deadLetter(current, DeadLetterCause.DEADLINE_EXPIRED, "deadline " + instant(next.task()
                    .deadlineMs()) + " passed before attempt " + next.number(), next.history(), effects);
        }
        effects.add(new Effect.Retry(next, why));
        if (next.notBeforeMs() > nowMs) {
            Attempt backingOff = checked(current, next.waiting(AttemptState.BACKING_OFF));
            effects.add(new Effect.Wait(backingOff, null, true));
            return new Step(backingOff, effects);
        }
        return route(next, null, placement, nowMs, effects, true);
    }

    /** Routes {@code attempt}: sent to the worker the placement picks, or waiting (explained when first parked). */
    private Step route(Attempt attempt, String sticky, Placement placement, long nowMs, List<Effect> effects,
                       boolean firstPark) {
        RoutingDecision decision = placement.decide(attempt, sticky);
        if (decision instanceof RoutingDecision.Assigned assigned) {
            Attempt sent = checked(attempt, attempt.assigned(assigned.workerId(),
                    placement.incarnation(assigned.workerId()), nowMs, policy.lease().toMillis()));
            effects.add(new Effect.Send(sent, assigned));
            return new Step(sent, effects);
        }
        Attempt waiting = checked(attempt, attempt.waiting(AttemptState.PENDING));
        effects.add(new Effect.Wait(waiting, (RoutingDecision.Parked) decision, firstPark));
        return new Step(waiting, effects);
    }

    private static Step deadLetter(Attempt last, DeadLetterCause cause, String detail, List<Outcome> history,
                                   List<Effect> effects) {
        Attempt dead = checked(last, last.ended(AttemptState.DEAD_LETTERED));
        effects.add(new Effect.DeadLetter(dead, cause, detail, history));
        return new Step(null, effects);
    }

    /** Null when a report from this worker, incarnation and attempt concerns {@code current}, else why not. */
    private static String staleness(Attempt current, String workerId, long incarnation, int attempt) {
        if (current == null) {
            return "no live attempt";
        }
        if (current.state() != AttemptState.ASSIGNED || current.number() != attempt) {
            return "attempt " + attempt + " is not the live one (" + current.number() + ", " + current.state() + ")";
        }
        if (!current.workerId().equals(workerId)) {
            return "sent to " + current.workerId() + ", not " + workerId;
        }
        if (current.incarnation() != 0 && incarnation != 0 && current.incarnation() != incarnation) {
            return "sent to incarnation " + current.incarnation() + " of " + workerId + ", not " + incarnation;
        }
        return null;
    }

    /** {@code next}, after checking that {@code from -> next} is a legal transition. */
    private static Attempt checked(Attempt from, Attempt next) {
        if (!from.state().canTransitionTo(next.state())) {
            throw new IllegalStateException("task " + from.taskId() + ": illegal attempt transition " + from.state()
                    + " -> " + next.state());
        }
        return next;
    }

    private static String instant(long ms) {
        return Instant.ofEpochMilli(ms).toString();
    }
}
