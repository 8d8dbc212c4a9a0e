package io.kdispatch.dispatcher.topology;

import static io.kdispatch.dispatcher.topology.DispatcherFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.schemas.AffinityBinding;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Affinity keys stay put: a key is bound to a worker when first routed and moves only when that worker
 * becomes ineligible, or for load when the key has nothing in flight there; its fresh tasks leave in
 * intake order. Bounded load bounds where keys are placed.
 */
class AffinityTopologyTest {
    private DispatcherFixture f = new DispatcherFixture();

    @AfterEach
    void close() {
        f.close();
    }

    private List<TaskAssignment> sentTo(String... workers) {
        List<TaskAssignment> all = new ArrayList<>();
        for (String w : workers) {
            all.addAll(f.workerTopic(w).readValuesToList());
        }
        return all;
    }

    private KeyValueStore<String, AffinityBinding> bindings() {
        return f.driver.getKeyValueStore(StoreNames.BINDINGS);
    }

    @Test
    void aHotKeyStaysOnItsWorkerWhileItHasTasksThere() {
        f.workers("w1", "w2", "w3", "w4");
        for (int i = 0; i < 40; i++) {
            f.submit(task("t-" + i).setAffinityKey("hot").build());
        }
        List<TaskAssignment> sent = sentTo("w1", "w2", "w3", "w4");
        assertThat(sent).hasSize(40).extracting(TaskAssignment::getWorkerId).containsOnly(sent.get(0).getWorkerId());
        assertThat(sent.get(0).getStrategy()).isEqualTo("affinity-hash");
        assertThat(sent.get(1).getStrategy()).isEqualTo("affinity-bound");
        assertThat(bindings().get("hot").getWorkerId()).isEqualTo(sent.get(0).getWorkerId());
        assertThat(bindings().get("hot").getReason()).isEqualTo("first placement");
    }

    @Test
    void boundedLoadBoundsWhereKeysArePlaced() {
        f.workers("w1", "w2", "w3", "w4");
        for (int i = 0; i < 100; i++) {
            f.submit(task("t-" + i).setAffinityKey("key-" + i).build());
        }
        Map<String, Integer> perWorker = new HashMap<>();
        for (TaskAssignment a : sentTo("w1", "w2", "w3", "w4")) {
            perWorker.merge(a.getWorkerId(), 1, Integer::sum);
        }
        int bound = (int) Math.ceil(RoutingConfig.defaults().boundedLoadFactor() * 100 / 4);
        assertThat(perWorker.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(bound));
        assertThat(perWorker.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(100);
    }

    @Test
    void anIdleKeyMovesOffAFullWorkerOverTheBoundAndTheMoveIsExplained() {
        f.workers("w1", "w2", "w3", "w4");
        f.submit(task("t-1").setAffinityKey("k").build());
        TaskAssignment first = sentTo("w1", "w2", "w3", "w4").get(0);
        f.result(first, ResultStatus.SUCCEEDED);
        // The key's worker is now full of other work (its heartbeat says so); the key has nothing there.
        f.heartbeat(first.getWorkerId(), Map.of(), WorkerStatus.READY, 7L, 10, 50);
        f.advance(DispatcherFixture.TICK);

        f.submit(task("t-2").setAffinityKey("k").build());

        TaskAssignment second = sentTo("w1", "w2", "w3", "w4").get(0);
        assertThat(second.getWorkerId()).isNotEqualTo(first.getWorkerId());
        RoutingExplanation why = f.explanation("t-2");
        assertThat(why.getReason()).startsWith("moved from " + first.getWorkerId() + ": full and over the load bound while the key was idle");
        assertThat(bindings().get("k").getWorkerId()).isEqualTo(second.getWorkerId());
    }

    @Test
    void aKeyStaysOnAWorkerOverTheBoundWhileThatWorkerHasRoom() {
        f.workers("w1", "w2", "w3", "w4");
        f.submit(task("t-1").setAffinityKey("k").build());
        TaskAssignment first = sentTo("w1", "w2", "w3", "w4").get(0);
        f.result(first, ResultStatus.SUCCEEDED);
        f.heartbeat(first.getWorkerId(), Map.of(), WorkerStatus.READY, 7L, 1_000, 50); // busy, not full
        f.advance(DispatcherFixture.TICK);

        f.submit(task("t-2").setAffinityKey("k").build());

        assertThat(sentTo("w1", "w2", "w3", "w4")).extracting(TaskAssignment::getWorkerId)
                .containsExactly(first.getWorkerId());
        assertThat(f.explanation("t-2").getRule()).isEqualTo("affinity-bound");
    }

    @Test
    void aBusyKeyWaitsForItsFullWorkerRatherThanMove() {
        f.workers("w1", "w2", "w3", "w4");
        f.submit(task("t-1").setAffinityKey("k").build());
        TaskAssignment first = sentTo("w1", "w2", "w3", "w4").get(0);
        f.heartbeat(first.getWorkerId(), Map.of(), WorkerStatus.READY, 7L, 10, 50); // full, t-1 still there
        f.advance(DispatcherFixture.TICK);

        f.submit(task("t-2").setAffinityKey("k").build());

        assertThat(sentTo("w1", "w2", "w3", "w4")).isEmpty();
        assertThat(f.explanation("t-2").getReason()).contains("waits for its worker " + first.getWorkerId());
        f.heartbeat(first.getWorkerId(), Map.of(), WorkerStatus.READY, 7L, 10, 1); // room again
        f.advance(DispatcherFixture.TICK);
        f.result(first, ResultStatus.SUCCEEDED);
        assertThat(sentTo("w1", "w2", "w3", "w4")).extracting(TaskAssignment::getWorkerId)
                .containsExactly(first.getWorkerId());
    }

    @Test
    void aKeyMovesWhenItsWorkerDiesAndTheMoveNamesTheReason() {
        f.workers("w1", "w2", "w3");
        f.submit(task("t-1").setAffinityKey("k").build());
        String owner = sentTo("w1", "w2", "w3").get(0).getWorkerId();
        f.heartbeat(owner, Map.of(), WorkerStatus.LEAVING, 7L);
        f.advance(DispatcherFixture.TICK);
        sentTo("w1", "w2", "w3"); // t-1 goes elsewhere as a retry

        f.submit(task("t-2").setAffinityKey("k").build());

        TaskAssignment moved = sentTo("w1", "w2", "w3").get(0);
        assertThat(moved.getWorkerId()).isNotEqualTo(owner);
        assertThat(f.explanation("t-2").getReason()).isEqualTo("moved from " + owner + ": liveness LEFT");
    }

    @Test
    void aKeysWaitingTasksLeaveInIntakeOrderWhateverTheirPriorities() {
        f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, 1, 0); // one slot, prefetch 2: holds 3
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 8; i++) {
            f.submit(task("t-" + i).setAffinityKey("k").setPriority(i % 2 == 0 ? 0 : 9).build());
        }
        List<String> order = new ArrayList<>();
        for (int round = 0; round < 8 && order.size() < 8; round++) {
            for (TaskAssignment a : sentTo("w1")) {
                order.add(a.getTask().getId());
                f.result(a, ResultStatus.SUCCEEDED);
            }
            f.advance(DispatcherFixture.TICK);
        }
        assertThat(order).containsExactly("t-0", "t-1", "t-2", "t-3", "t-4", "t-5", "t-6", "t-7");
    }

    @Test
    void aRestartedWorkersAttemptsAreReleasedAtOnceNotAtLeaseExpiry() {
        f.workers("w1", "w2");
        f.settle("w1", "w2");
        f.submit(task("t-1").build());
        TaskAssignment first = sentTo("w1", "w2").get(0);

        f.heartbeat(first.getWorkerId(), Map.of(), WorkerStatus.READY, 8L); // a new incarnation
        f.advance(DispatcherFixture.TICK);

        TaskAssignment again = sentTo("w1", "w2").get(0);
        assertThat(again.getAttempt()).isEqualTo(2);
        assertThat(f.attempts().get("t-1").getHistory()).extracting(r -> r.getOutcome())
                .containsExactly("new-incarnation");
        assertThat(Duration.between(first.getAssignedAt(), again.getAssignedAt()))
                .isLessThan(DispatcherFixture.LEASE);
    }

    @Test
    void rightAfterOpeningTheResultsThatCameMeanwhileAreReadBeforeARestartedWorkersAttemptsAreReleased() {
        // A failover: the instance that takes the partition over finds the worker already restarted, and the
        // old incarnation's result still ahead of it in the input. Released at once, the task would run twice.
        f.workers("w1", "w2");
        f.submit(task("t-1").build());
        TaskAssignment first = sentTo("w1", "w2").get(0);
        f.heartbeat(first.getWorkerId(), Map.of(), WorkerStatus.READY, 8L); // a new incarnation
        f.advance(DispatcherFixture.TICK);
        assertThat(f.attempts().get("t-1").getAttempt()).as("not released while settling").isEqualTo(1);

        f.result(first, ResultStatus.SUCCEEDED);
        f.settle("w1", "w2");

        assertThat(f.attempts().get("t-1")).as("done by the old incarnation's result").isNull();
        assertThat(sentTo("w1", "w2")).as("nothing sent again").isEmpty();
    }
}
