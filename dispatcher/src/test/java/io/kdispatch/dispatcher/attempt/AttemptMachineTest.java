package io.kdispatch.dispatcher.attempt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One test per transition of the attempt lifecycle. */
class AttemptMachineTest {
    private static final long NOW = 1_000_000;
    private static final AttemptPolicy POLICY = new AttemptPolicy(Duration.ofSeconds(60), Duration.ofMillis(200),
            Duration.ofSeconds(30), 3);
    private final AttemptMachine machine = new AttemptMachine(POLICY);

    static TaskFacts task(String id, int maxAttempts, long deadlineMs) {
        return new TaskFacts(id, "echo", 0, maxAttempts, deadlineMs, null, null, TaskFacts.UNKNOWN, List.of(), null, "default");
    }

    static TaskFacts task(String id) {
        return task(id, 3, TaskFacts.NO_DEADLINE);
    }

    private Attempt assigned(String id, String worker) {
        return machine.submitted(task(id), null, ScriptedPlacement.to(worker), NOW).next();
    }

    private static ResultFacts result(Attempt a, ResultFacts.Status status) {
        return new ResultFacts(a.taskId(), a.workerId(), a.incarnation(), a.number(), status, "boom", 5);
    }

    @Test
    void aNewTaskIsSentWithALease() {
        Step step = machine.submitted(task("t"), null, ScriptedPlacement.to("w1"), NOW);
        Attempt sent = step.next();
        assertThat(sent.state()).isEqualTo(AttemptState.ASSIGNED);
        assertThat(sent.number()).isEqualTo(1);
        assertThat(sent.workerId()).isEqualTo("w1");
        assertThat(sent.incarnation()).isEqualTo(7);
        assertThat(sent.leaseDeadlineMs()).isEqualTo(NOW + 60_000);
        assertThat(step.effects()).singleElement().isInstanceOf(Effect.Send.class);
    }

    @Test
    void aNewTaskWithNoWorkerWaitsAndIsExplainedOnce() {
        Step step = machine.submitted(task("t"), null, ScriptedPlacement.parking(), NOW);
        assertThat(step.next().state()).isEqualTo(AttemptState.PENDING);
        assertThat(step.effects()).singleElement().isInstanceOfSatisfying(Effect.Wait.class, w -> {
            assertThat(w.firstTime()).isTrue();
            assertThat(w.decision().reason()).contains("no eligible worker");
        });
    }

    @Test
    void aTaskPastItsDeadlineIsDeadLetteredBeforeDispatch() {
        Step step = machine.submitted(task("t", 3, NOW - 1), null, ScriptedPlacement.to("w1"), NOW);
        assertThat(step.next()).isNull();
        assertThat(step.effects()).singleElement().isInstanceOfSatisfying(Effect.DeadLetter.class, d -> {
            assertThat(d.cause()).isEqualTo(DeadLetterCause.DEADLINE_EXPIRED);
            assertThat(d.detail()).contains("before dispatch");
        });
    }

    @Test
    void aResubmittedTaskIsANewAttemptStickyToItsWorker() {
        Attempt first = assigned("t", "w1");
        ScriptedPlacement placement = ScriptedPlacement.to("w1");
        Step step = machine.submitted(task("t"), first, placement, NOW + 5);
        assertThat(step.next().number()).isEqualTo(2);
        assertThat(placement.stickyAsked).containsExactly("w1");
        assertThat(step.effects()).first().isInstanceOfSatisfying(Effect.Retry.class,
                r -> assertThat(r.why()).isEqualTo("resubmitted"));
    }

    @Test
    void successEndsTheTask() {
        Attempt a = assigned("t", "w1");
        Step step = machine.reported(a, result(a, ResultFacts.Status.SUCCEEDED), ScriptedPlacement.to("w2"), NOW + 9);
        assertThat(step.next()).isNull();
        assertThat(step.effects()).hasSize(2);
        assertThat(step.effects().get(0)).isInstanceOf(Effect.Accept.class);
        assertThat(step.effects().get(1)).isInstanceOfSatisfying(Effect.Finish.class,
                f -> assertThat(f.attempt().state()).isEqualTo(AttemptState.DONE));
    }

    @Test
    void aFailureBacksOffAvoidingTheWorker() {
        Attempt a = assigned("t", "w1");
        Step step = machine.reported(a, result(a, ResultFacts.Status.FAILED), ScriptedPlacement.to("w2"), NOW + 9);
        Attempt next = step.next();
        assertThat(next.state()).isEqualTo(AttemptState.BACKING_OFF);
        assertThat(next.number()).isEqualTo(2);
        assertThat(next.failures()).isEqualTo(1);
        assertThat(next.losses()).isZero();
        assertThat(next.avoidWorker()).isEqualTo("w1");
        assertThat(next.notBeforeMs()).isBetween(NOW + 9 + 100, NOW + 9 + 200);
        assertThat(next.history()).singleElement().satisfies(o -> {
            assertThat(o.outcome()).isEqualTo("failed");
            assertThat(o.error()).isEqualTo("boom");
        });
        assertThat(step.effects()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("Accept", "Retry", "Wait");
    }

    @Test
    void aRejectionCountsAsAFailure() {
        Attempt a = assigned("t", "w1");
        Step step = machine.reported(a, result(a, ResultFacts.Status.REJECTED), ScriptedPlacement.to("w2"), NOW);
        assertThat(step.next().failures()).isEqualTo(1);
        assertThat(step.next().history().get(0).outcome()).isEqualTo("rejected");
    }

    @Test
    void theLastFailureDeadLettersWithEveryAttempt() {
        Attempt a = machine.submitted(task("t", 1, TaskFacts.NO_DEADLINE), null, ScriptedPlacement.to("w1"), NOW)
                .next();
        Step step = machine.reported(a, result(a, ResultFacts.Status.FAILED), ScriptedPlacement.to("w2"), NOW);
        assertThat(step.next()).isNull();
        assertThat(step.effects()).last().isInstanceOfSatisfying(Effect.DeadLetter.class, d -> {
            assertThat(d.cause()).isEqualTo(DeadLetterCause.MAX_ATTEMPTS);
            assertThat(d.history()).hasSize(1);
        });
    }

    @Test
    void aFailureAfterTheDeadlineDeadLetters() {
        Attempt a = machine.submitted(task("t", 3, NOW + 10), null, ScriptedPlacement.to("w1"), NOW).next();
        Step step = machine.reported(a, result(a, ResultFacts.Status.FAILED), ScriptedPlacement.to("w2"), NOW + 10);
        assertThat(step.effects()).last().isInstanceOfSatisfying(Effect.DeadLetter.class,
                d -> assertThat(d.cause()).isEqualTo(DeadLetterCause.DEADLINE_EXPIRED));
    }

    @Test
    void withoutBackoffAFailureIsRoutedAtOnce() {
        AttemptMachine eager = new AttemptMachine(new AttemptPolicy(Duration.ofSeconds(60), Duration.ZERO,
                Duration.ZERO, 3));
        Attempt a = eager.submitted(task("t"), null, ScriptedPlacement.to("w1"), NOW).next();
        Step step = eager.reported(a, result(a, ResultFacts.Status.FAILED), ScriptedPlacement.to("w2"), NOW);
        assertThat(step.next().state()).isEqualTo(AttemptState.ASSIGNED);
        assertThat(step.next().workerId()).isEqualTo("w2");
    }

    @Test
    void staleReportsAreIgnoredAndChangeNothing() {
        Attempt a = assigned("t", "w1");
        List<ResultFacts> stale = List.of(
                new ResultFacts("t", "w1", 7, 2, ResultFacts.Status.SUCCEEDED, null, 1),
                new ResultFacts("t", "w9", 7, 1, ResultFacts.Status.SUCCEEDED, null, 1),
                new ResultFacts("t", "w1", 8, 1, ResultFacts.Status.SUCCEEDED, null, 1));
        for (ResultFacts r : stale) {
            Step step = machine.reported(a, r, ScriptedPlacement.to("w1"), NOW);
            assertThat(step.next()).isSameAs(a);
            assertThat(step.effects()).singleElement().isInstanceOf(Effect.Ignore.class);
        }
        Step none = machine.reported(null, stale.get(0), ScriptedPlacement.to("w1"), NOW);
        assertThat(none.next()).isNull();
        assertThat(none.effects()).singleElement().isInstanceOf(Effect.Ignore.class);
    }

    @Test
    void anUnknownIncarnationIsNotStale() {
        Attempt a = assigned("t", "w1");
        Step step = machine.reported(a, new ResultFacts("t", "w1", 0, 1, ResultFacts.Status.SUCCEEDED, null, 1),
                ScriptedPlacement.to("w1"), NOW);
        assertThat(step.next()).isNull();
    }

    @Test
    void anExtensionRenewsTheLeaseAndIsNotAResult() {
        Attempt a = assigned("t", "w1");
        Step step = machine.extended(a, "w1", 7, 1, NOW + 30_000);
        assertThat(step.next().leaseDeadlineMs()).isEqualTo(NOW + 90_000);
        assertThat(step.next().state()).isEqualTo(AttemptState.ASSIGNED);
        assertThat(step.effects()).isEmpty();
        assertThat(machine.extended(a, "w1", 7, 2, NOW).effects()).singleElement().isInstanceOf(Effect.Ignore.class);
    }

    @Test
    void aLossIsSentElsewhereAtOnce() {
        for (LossCause cause : LossCause.values()) {
            Attempt a = assigned("t", "w1");
            Step step = machine.lost(a, cause, ScriptedPlacement.to("w2"), NOW + 5);
            Attempt next = step.next();
            assertThat(next.state()).isEqualTo(AttemptState.ASSIGNED);
            assertThat(next.workerId()).isEqualTo("w2");
            assertThat(next.number()).isEqualTo(2);
            assertThat(next.losses()).isEqualTo(1);
            assertThat(next.failures()).isZero();
            assertThat(next.avoidWorker()).isEqualTo("w1");
            assertThat(next.history()).singleElement().satisfies(o -> assertThat(o.outcome()).isEqualTo(cause.label()));
            assertThat(step.effects()).extracting(e -> e.getClass().getSimpleName()).containsExactly("Retry", "Send");
        }
    }

    @Test
    void theThirdLossMakesAPoisonTask() {
        Attempt a = assigned("t", "w1");
        a = machine.lost(a, LossCause.WORKER_LOST, ScriptedPlacement.to("w2"), NOW).next();
        a = machine.lost(a, LossCause.LEASE_EXPIRED, ScriptedPlacement.to("w3"), NOW).next();
        Step step = machine.lost(a, LossCause.NEW_INCARNATION, ScriptedPlacement.to("w4"), NOW);
        assertThat(step.next()).isNull();
        assertThat(step.effects()).singleElement().isInstanceOfSatisfying(Effect.DeadLetter.class, d -> {
            assertThat(d.cause()).isEqualTo(DeadLetterCause.POISON);
            assertThat(d.history()).hasSize(3);
        });
    }

    @Test
    void aWaitingAttemptCannotBeLost() {
        Attempt waiting = machine.submitted(task("t"), null, ScriptedPlacement.parking(), NOW).next();
        assertThat(machine.lost(waiting, LossCause.WORKER_LOST, ScriptedPlacement.to("w1"), NOW).next())
                .isSameAs(waiting);
    }

    @Test
    void aReleasedWaitingAttemptIsSentWhenAWorkerCanTakeIt() {
        Attempt waiting = machine.submitted(task("t"), null, ScriptedPlacement.parking(), NOW).next();
        Step step = machine.release(waiting, ScriptedPlacement.to("w1"), NOW + 100);
        assertThat(step.next().state()).isEqualTo(AttemptState.ASSIGNED);
        assertThat(step.next().number()).isEqualTo(1);
    }

    @Test
    void aReleasedAttemptThatStillCannotGoWaitsWithoutBeingExplainedAgain() {
        Attempt waiting = machine.submitted(task("t"), null, ScriptedPlacement.parking(), NOW).next();
        Step step = machine.release(waiting, ScriptedPlacement.parking(), NOW + 100);
        assertThat(step.next()).isEqualTo(waiting);
        assertThat(step.effects()).singleElement().isInstanceOfSatisfying(Effect.Wait.class,
                w -> assertThat(w.firstTime()).isFalse());
    }

    @Test
    void aBackingOffAttemptWaitsForItsBackoffThenParksExplained() {
        Attempt a = assigned("t", "w1");
        Attempt backingOff = machine.reported(a, result(a, ResultFacts.Status.FAILED), ScriptedPlacement.to("w2"), NOW)
                .next();
        assertThat(machine.release(backingOff, ScriptedPlacement.to("w2"), NOW + 1).next()).isSameAs(backingOff);
        Step step = machine.release(backingOff, ScriptedPlacement.parking(), backingOff.notBeforeMs());
        assertThat(step.next().state()).isEqualTo(AttemptState.PENDING);
        assertThat(step.effects()).singleElement().isInstanceOfSatisfying(Effect.Wait.class,
                w -> assertThat(w.firstTime()).isTrue());
    }

    @Test
    void aWaitingAttemptPastItsDeadlineIsDeadLettered() {
        Attempt waiting = machine.submitted(task("t", 3, NOW + 50), null, ScriptedPlacement.parking(), NOW).next();
        Step step = machine.release(waiting, ScriptedPlacement.to("w1"), NOW + 50);
        assertThat(step.next()).isNull();
        assertThat(step.effects()).singleElement().isInstanceOfSatisfying(Effect.DeadLetter.class,
                d -> assertThat(d.detail()).contains("while waiting"));
    }

    @Test
    void theStateMachineListsItsLegalTransitions() {
        assertThat(AttemptState.PENDING.canTransitionTo(AttemptState.ASSIGNED)).isTrue();
        assertThat(AttemptState.PENDING.canTransitionTo(AttemptState.PENDING)).isTrue();
        assertThat(AttemptState.PENDING.canTransitionTo(AttemptState.DONE)).isFalse();
        assertThat(AttemptState.PENDING.canTransitionTo(AttemptState.BACKING_OFF)).isFalse();
        assertThat(AttemptState.BACKING_OFF.canTransitionTo(AttemptState.PENDING)).isTrue();
        assertThat(AttemptState.ASSIGNED.canTransitionTo(AttemptState.DONE)).isTrue();
        assertThat(AttemptState.ASSIGNED.canTransitionTo(AttemptState.BACKING_OFF)).isTrue();
        assertThat(AttemptState.DONE.canTransitionTo(AttemptState.DONE)).isFalse();
        assertThat(AttemptState.DONE.canTransitionTo(AttemptState.PENDING)).isFalse();
        assertThat(AttemptState.DEAD_LETTERED.canTransitionTo(AttemptState.ASSIGNED)).isFalse();
        for (AttemptState s : AttemptState.values()) {
            assertThat(s.isLive()).isEqualTo(s != AttemptState.DONE && s != AttemptState.DEAD_LETTERED);
        }
    }
}
