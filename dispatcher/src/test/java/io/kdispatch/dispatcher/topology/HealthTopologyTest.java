package io.kdispatch.dispatcher.topology;

import static io.kdispatch.dispatcher.topology.DispatcherFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.schemas.BreakerStateName;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.WorkerBreaker;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Liveness, breakers, leases, retries, poison and deadlines through the topology, with driven wall-clock time. */
class HealthTopologyTest {
    /** Trips after 4 results at 50% failures; opens for 2 s; 2 probes; at most half the fleet ejected. */
    private static final HealthSettings QUICK = new HealthSettings(new BreakerPolicy(4, 4, 50, 0,
            Duration.ofSeconds(2), Duration.ofSeconds(30), 2, 50), Duration.ofMillis(200), Duration.ofSeconds(5), 3);

    private DispatcherFixture f = new DispatcherFixture(QUICK);

    @AfterEach
    void close() {
        f.close();
    }

    private List<TaskAssignment> sent(String... workers) {
        List<TaskAssignment> all = new ArrayList<>();
        for (String w : workers) {
            all.addAll(f.workerTopic(w).readValuesToList());
        }
        return all;
    }

    private void keepAlive(Duration d, String... workers) {
        for (long ms = 0; ms < d.toMillis(); ms += 500) {
            f.advance(Duration.ofMillis(500));
            for (String w : workers) {
                f.heartbeat(w, Map.of());
            }
        }
    }

    private WorkerBreaker breaker(String worker) {
        KeyValueStore<String, WorkerBreaker> store = f.driver.getKeyValueStore(StoreNames.BREAKERS);
        return store.get(worker);
    }

    @Test
    void everyLivenessTransitionIsReportedOnceInOrder() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        f.close();
        f = new DispatcherFixture(new io.kdispatch.dispatcher.metrics.DispatchMetrics() {
            @Override
            public void livenessChanged(String workerId, String state) {
                seen.add(workerId + ":" + state);
            }
        }, org.apache.kafka.streams.StreamsConfig.EXACTLY_ONCE_V2,
                io.kdispatch.dispatcher.routing.RoutingConfig.defaults(), QUICK);
        // x keeps heartbeating: a worker is judged dead only while the heartbeat input itself flows
        keepAlive(Duration.ofSeconds(1), "x");
        f.heartbeat("w", Map.of());
        keepAlive(DispatcherFixture.TICK, "x");                 // JOINING: heard from once
        f.heartbeat("w", Map.of());
        keepAlive(DispatcherFixture.TICK, "x");                 // READY
        keepAlive(Duration.ofSeconds(2), "x");                  // SUSPECT
        keepAlive(Duration.ofSeconds(3), "x");                  // DEAD
        f.heartbeat("w", Map.of());
        keepAlive(DispatcherFixture.TICK, "x");                 // READY again
        f.heartbeat("w", Map.of(), WorkerStatus.DRAINING, 7L);
        keepAlive(DispatcherFixture.TICK, "x");                 // DRAINING
        f.heartbeat("w", Map.of(), WorkerStatus.LEAVING, 7L);
        keepAlive(DispatcherFixture.TICK, "x");                 // LEFT
        seen.removeIf(transition -> transition.startsWith("x:"));
        assertThat(seen).containsExactly("w:JOINING", "w:READY", "w:SUSPECT", "w:DEAD", "w:READY", "w:DRAINING",
                "w:LEFT");
    }

    @Test
    void aBrokerOutageLongerThanDeadAfterMovesNoTaskAndAWorkerThatDidNotComeBackLosesItsTasksAfterDeadAfter() {
        f.workers("w1", "w2");
        f.settle("w1", "w2");
        for (int i = 0; i < 10; i++) {
            f.submit(task("t-" + i).build());
        }
        List<TaskAssignment> first = sent("w1", "w2");
        assertThat(first).hasSize(10).extracting(TaskAssignment::getWorkerId).contains("w1", "w2");

        keepAlive(Duration.ofSeconds(10));                                // no heartbeat read: the input is quiet
        f.heartbeat("w1", Map.of());                                      // the first after the outage
        f.advance(DispatcherFixture.TICK);
        keepAlive(Duration.ofMillis(500), "w1");
        f.heartbeat("w2", Map.of());                                      // read a moment later
        keepAlive(Duration.ofSeconds(6), "w1", "w2");
        assertThat(sent("w1", "w2")).as("nothing re-dispatched after the outage").isEmpty();

        keepAlive(Duration.ofSeconds(10));                                // a second outage; w2 dies during it
        keepAlive(Duration.ofSeconds(4), "w1");
        assertThat(sent("w1", "w2")).as("w2 may just not have been read yet").isEmpty();
        keepAlive(Duration.ofSeconds(2), "w1");                           // dead.after since heartbeats flow again
        List<TaskAssignment> moved = sent("w1", "w2");
        assertThat(moved).extracting(TaskAssignment::getWorkerId).containsOnly("w1");
        assertThat(moved).extracting(a -> a.getTask().getId()).containsExactlyInAnyOrderElementsOf(first.stream()
                .filter(a -> a.getWorkerId().equals("w2")).map(a -> a.getTask().getId()).toList());
    }

    @Test
    void livenessGoesReadySuspectDeadAndBackWithANewIncarnation() {
        f.workers("w1", "w2");
        keepAlive(Duration.ofSeconds(2), "w2");                       // w1 silent 2 s: SUSPECT
        f.submit(task("a").build());
        assertThat(f.explanation("a").getExcluded()).containsEntry("w1", "liveness SUSPECT");
        keepAlive(Duration.ofSeconds(3), "w2");                       // 5 s: DEAD
        f.submit(task("b").build());
        assertThat(f.explanation("b").getExcluded()).containsEntry("w1", "liveness DEAD");

        f.heartbeat("w1", Map.of(), WorkerStatus.READY, 8L);           // restarted
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 20; i++) {
            f.submit(task("c-" + i).build());
        }
        assertThat(f.workerTopic("w1").readValuesToList()).isNotEmpty()
                .allSatisfy(a -> assertThat(a.getWorkerIncarnation()).isEqualTo(8L));
    }

    @Test
    void aDrainingWorkerKeepsItsTasksAndAGoodbyeMovesThem() {
        f.workers("w1", "w2");
        f.settle("w1", "w2");
        f.submit(task("t-1").build());
        TaskAssignment held = sent("w1", "w2").get(0);
        f.heartbeat(held.getWorkerId(), Map.of(), WorkerStatus.DRAINING, 7L);
        keepAlive(Duration.ofSeconds(1), "w1", "w2");
        assertThat(f.attempts().get("t-1").getAttempt()).as("draining keeps in-flight work").isEqualTo(1);

        f.heartbeat(held.getWorkerId(), Map.of(), WorkerStatus.LEAVING, 7L);
        f.advance(DispatcherFixture.TICK);
        TaskAssignment moved = sent("w1", "w2").get(0);
        assertThat(moved.getWorkerId()).isNotEqualTo(held.getWorkerId());
        assertThat(moved.getAttempt()).isEqualTo(2);
    }

    @Test
    void anExpiredLeaseSendsTheTaskElsewhereAndAnExtensionRenewsIt() {
        f.workers("w1", "w2");
        f.submit(task("slow").build());
        f.submit(task("hung").build());
        List<TaskAssignment> first = sent("w1", "w2");
        TaskAssignment slow = first.stream().filter(a -> a.getTask().getId().equals("slow")).findFirst().orElseThrow();

        keepAlive(DispatcherFixture.LEASE.minusSeconds(10), "w1", "w2");
        f.result(slow, ResultStatus.LEASE_EXTENSION);
        keepAlive(Duration.ofSeconds(12), "w1", "w2");

        List<TaskAssignment> again = sent("w1", "w2");
        assertThat(again).extracting(a -> a.getTask().getId()).containsExactly("hung");
        assertThat(again.get(0).getAttempt()).isEqualTo(2);
        assertThat(f.attempts().get("hung").getLosses()).isEqualTo(1);
        assertThat(f.attempts().get("slow").getAttempt()).isEqualTo(1);
    }

    @Test
    void aFailedTaskIsRetriedAfterABackoffOnAnotherWorker() {
        f.workers("w1", "w2");
        f.submit(task("t").setMaxAttempts(3).build());
        TaskAssignment first = sent("w1", "w2").get(0);
        f.result(first, ResultStatus.FAILED);

        f.advance(Duration.ofMillis(50));
        assertThat(sent("w1", "w2")).as("not before the backoff").isEmpty();
        f.advance(Duration.ofMillis(400));
        TaskAssignment second = sent("w1", "w2").get(0);
        assertThat(second.getWorkerId()).isNotEqualTo(first.getWorkerId());
        assertThat(f.attempts().get("t").getFailures()).isEqualTo(1);
        assertThat(f.attempts().get("t").getHistory()).hasSize(1);
        assertThat(QUICK.backoffMillis(2, "t")).isGreaterThan(QUICK.backoffMillis(1, "t") / 2)
                .isLessThanOrEqualTo(2 * 200);
    }

    @Test
    void aTaskThatKeepsKillingWorkersIsDeadLetteredAsPoison() {
        String[] fleet = {"w1", "w2", "w3", "w4"};
        f.workers(fleet);
        f.submit(task("poison").setMaxAttempts(10).build());
        List<String> killed = new ArrayList<>();
        for (int loss = 1; loss <= 3; loss++) {
            TaskAssignment a = sent(fleet).get(0);
            killed.add(a.getWorkerId());
            String[] alive = java.util.Arrays.stream(fleet).filter(w -> !killed.contains(w)).toArray(String[]::new);
            keepAlive(Duration.ofSeconds(6), alive);                  // its worker dies
        }
        DeadLetter dl = f.deadLetters.readValue();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.POISON);
        assertThat(dl.getAttempts()).extracting(r -> r.getWorkerId()).containsExactlyElementsOf(killed);
        assertThat(dl.getAttempts()).allSatisfy(r -> assertThat(r.getOutcome()).isEqualTo("worker-lost"));
    }

    @Test
    void aTaskPastItsDeadlineIsDeadLetteredInsteadOfRetried() {
        f.workers("w1", "w2");
        f.submit(task("t").setDeadline(f.now().plusMillis(300)).build());
        f.result(sent("w1", "w2").get(0), ResultStatus.FAILED);
        f.advance(Duration.ofSeconds(1));
        DeadLetter dl = f.deadLetters.readValue();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.DEADLINE_EXPIRED);
        assertThat(sent("w1", "w2")).isEmpty();
    }

    @Test
    void aFailingWorkerIsEjectedProbedAndReadmitted() {
        f.workers("bad", "good");
        // four failures in a row on "bad" trip its breaker
        for (int i = 0; i < 4; i++) {
            f.result(assignTo("bad", "f-" + i), ResultStatus.FAILED);
        }
        assertThat(breaker("bad").getState()).isEqualTo(BreakerStateName.OPEN);
        f.advance(Duration.ofSeconds(1));
        sent("bad", "good");
        for (int i = 0; i < 10; i++) {
            f.submit(task("while-open-" + i).build());
        }
        assertThat(f.workerTopic("bad").isEmpty()).as("an open breaker ejects the worker").isTrue();
        assertThat(f.explanation("while-open-0").getExcluded()).containsEntry("bad", "breaker open");

        keepAlive(Duration.ofSeconds(2), "bad", "good");                  // open wait over: HALF_OPEN
        assertThat(breaker("bad").getState()).isEqualTo(BreakerStateName.HALF_OPEN);
        f.workerTopic("good").readValuesToList();
        for (int i = 0; i < 20; i++) {
            f.submit(task("probe-" + i).build());
        }
        List<TaskAssignment> probes = f.workerTopic("bad").readValuesToList();
        assertThat(probes).as("half-open lets exactly the probes through").hasSize(2);
        probes.forEach(p -> f.result(p, ResultStatus.SUCCEEDED));
        assertThat(breaker("bad").getState()).isEqualTo(BreakerStateName.CLOSED);
    }

    @Test
    void aFailedProbeReopensTheBreakerForTwiceAsLong() {
        f.workers("bad", "good");
        for (int i = 0; i < 4; i++) {
            f.result(assignTo("bad", "f-" + i), ResultStatus.FAILED);
        }
        long firstWait = breaker("bad").getOpenUntil() - f.now().toEpochMilli();
        keepAlive(Duration.ofSeconds(2), "bad", "good");
        assertThat(breaker("bad").getState()).isEqualTo(BreakerStateName.HALF_OPEN);
        sent("bad", "good");
        TaskAssignment probe = assignTo("bad", "probe");
        f.result(probe, ResultStatus.FAILED);

        WorkerBreaker reopened = breaker("bad");
        assertThat(reopened.getState()).isEqualTo(BreakerStateName.OPEN);
        assertThat(reopened.getTrips()).isEqualTo(2);
        assertThat(reopened.getOpenUntil() - f.now().toEpochMilli()).isEqualTo(2 * firstWait);
    }

    @Test
    void theEjectionCapKeepsHalfTheFleetIn() {
        f.workers("a", "b");
        for (int i = 0; i < 4; i++) {
            f.result(assignTo("a", "a-" + i), ResultStatus.FAILED);
        }
        assertThat(breaker("a").getState()).isEqualTo(BreakerStateName.OPEN);
        for (int i = 0; i < 8; i++) {
            f.result(assignTo("b", "b-" + i), ResultStatus.FAILED);
        }
        WorkerBreaker b = breaker("b");
        assertThat(b == null ? BreakerStateName.CLOSED : b.getState()).as("cap: 50% of 2 workers").isEqualTo(
                BreakerStateName.CLOSED);
    }

    /** Submits a task and returns its assignment, submitting fresh tasks until one lands on {@code worker}. */
    private TaskAssignment assignTo(String worker, String prefix) {
        for (int i = 0; i < 200; i++) {
            f.submit(task(prefix + "-" + i).setMaxAttempts(100).build());
            for (TaskAssignment a : sent("a", "b", "bad", "good", "w1", "w2")) {
                if (a.getWorkerId().equals(worker)) {
                    return a;
                }
            }
        }
        throw new AssertionError("no task reached " + worker);
    }
}
