package io.kdispatch.dispatcher.topology;

import static io.kdispatch.dispatcher.topology.DispatcherFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.schemas.DecisionOutcome;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.WorkerStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each routing rule, end to end through the topology, with wall-clock time driven by the test. */
class RoutingRulesTopologyTest {
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

    @Test
    void aResubmittedTaskGoesBackToItsWorker() {
        f.workers("w1", "w2", "w3");
        f.submit(task("t-1").build());
        TaskAssignment first = sentTo("w1", "w2", "w3").get(0);

        f.submit(task("t-1").build());

        TaskAssignment again = sentTo("w1", "w2", "w3").get(0);
        assertThat(again.getWorkerId()).isEqualTo(first.getWorkerId());
        assertThat(again.getAttempt()).isEqualTo(2);
        assertThat(again.getStrategy()).isEqualTo("sticky");
    }

    @Test
    void membersOfAnAntiAffinityGroupNeverShareAWorkerAndAFinishedMemberReleasesIt() {
        f.workers("w1", "w2", "w3");
        for (int i = 0; i < 4; i++) {
            f.submit(task("g-" + i).setAntiAffinityGroup("job-3").build());
        }
        List<TaskAssignment> sent = sentTo("w1", "w2", "w3");
        assertThat(sent).hasSize(3);
        assertThat(sent.stream().map(TaskAssignment::getWorkerId).distinct()).hasSize(3);
        assertThat(sent).allSatisfy(a -> assertThat(a.getRoutingKey()).isEqualTo("job-3"));
        RoutingExplanation parked = f.explanation("g-3");
        assertThat(parked.getOutcome()).isEqualTo(DecisionOutcome.PARKED);
        assertThat(parked.getExcluded()).hasSize(3)
                .allSatisfy((w, why) -> assertThat(why).contains("anti-affinity").contains("job-3"));

        TaskAssignment done = sent.get(1);
        f.result(done, ResultStatus.SUCCEEDED);
        f.advance(DispatcherFixture.TICK);

        TaskAssignment fourth = f.workerTopic(done.getWorkerId()).readValue();
        assertThat(fourth.getTask().getId()).isEqualTo("g-3");
        assertThat(f.explanation("g-3").getOutcome()).isEqualTo(DecisionOutcome.ASSIGNED);
    }

    @Test
    void aFullWorkerGetsNothingMoreUntilItsHeartbeatShowsRoom() {
        f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, 1, 0);
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 5; i++) {
            f.submit(task("t-" + i).build());
        }
        int bound = 1 + RoutingConfig.defaults().prefetch();
        assertThat(f.workerTopic("w1").readValuesToList()).hasSize(bound);
        assertThat(f.explanation("t-4").getExcluded().get("w1")).contains("full");

        f.heartbeat("w1", Map.of(), WorkerStatus.READY, 7L, 1, 0);
        f.advance(DispatcherFixture.TICK);
        assertThat(f.workerTopic("w1").readValuesToList()).extracting(a -> a.getTask().getId())
                .containsExactly("t-3", "t-4");
    }

    @Test
    void preferredLabelsOrderOtherwiseEqualWorkers() {
        f.heartbeat("a", Map.of("zone", "a"));
        f.heartbeat("b", Map.of("zone", "b"));
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 30; i++) {
            f.submit(task("t-" + i).setPreferredLabels(Map.of("zone", "b")).build());
        }
        assertThat(f.workerTopic("b").readValuesToList()).hasSize(30);
        assertThat(f.workerTopic("a").isEmpty()).isTrue();
    }

    @Test
    void theLeastLoadedStrategyAvoidsABusyWorker() {
        f.close();
        f = new DispatcherFixture(new RoutingConfig(Strategy.LEAST_LOADED, null, 0, 1.25, 2));
        f.heartbeat("busy", Map.of(), WorkerStatus.READY, 7L, 1_000, 500);
        f.heartbeat("idle", Map.of(), WorkerStatus.READY, 7L, 1_000, 0);
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 20; i++) {
            f.submit(task("t-" + i).build());
        }
        assertThat(f.workerTopic("idle").readValuesToList()).hasSize(20);
        assertThat(f.explanation("t-0").getStrategy()).isEqualTo("least-loaded");
    }

    @Test
    void anAbSplitSendsAStableShareThroughTheSecondStrategyAndSaysWhich() {
        f.close();
        f = new DispatcherFixture(new RoutingConfig(Strategy.CONSISTENT_HASH, Strategy.LEAST_LOADED, 30, 1.25, 2));
        f.workers("w1", "w2", "w3");
        Map<String, Integer> byStrategy = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            f.submit(task("t-" + i).build());
            byStrategy.merge(f.explanation("t-" + i).getStrategy(), 1, Integer::sum);
        }
        assertThat(byStrategy.keySet()).containsExactlyInAnyOrder("consistent-hash", "least-loaded");
        assertThat(byStrategy.get("least-loaded")).isBetween(80, 160);
    }

    @Test
    void aTaskWaitingForALabelIsDispatchedWhenAMatchingWorkerAppears() {
        f.workers("cpu");
        f.submit(task("render").setRequiredLabels(Map.of("gpu", "true")).build());
        f.advance(DispatcherFixture.TICK);
        assertThat(f.workerTopic("cpu").isEmpty()).isTrue();
        assertThat(f.explanation("render").getOutcome()).isEqualTo(DecisionOutcome.PARKED);

        f.heartbeat("gpu", Map.of("gpu", "true"));
        f.advance(DispatcherFixture.TICK);

        assertThat(f.workerTopic("gpu").readValue().getTask().getId()).isEqualTo("render");
        assertThat(f.waiting()).isZero();
    }

    @Test
    void theWeightedStrategySharesByDeclaredWeight() {
        f.close();
        f = new DispatcherFixture(new RoutingConfig(Strategy.WEIGHTED, null, 0, 10.0, 2));
        f.weightedHeartbeat("small", 1.0);
        f.weightedHeartbeat("large", 3.0);
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 400; i++) {
            f.submit(task("t-" + i).build());
        }
        int large = f.workerTopic("large").readValuesToList().size();
        int small = f.workerTopic("small").readValuesToList().size();
        assertThat(large + small).isEqualTo(400);
        assertThat(large).isBetween(260, 340);
    }

    @Test
    void thePredictiveAndAutoStrategiesLearnServiceTimesFromResults() {
        f.close();
        f = new DispatcherFixture(new RoutingConfig(Strategy.AUTO, null, 0, 10.0, 2));
        f.workers("fast", "slow");
        for (int i = 0; i < 40; i++) {
            f.submit(task("warm-" + i).build());
        }
        for (TaskAssignment a : sentTo("fast", "slow")) {
            f.result(a, ResultStatus.SUCCEEDED, a.getWorkerId().equals("slow") ? 400 : 20);
        }
        for (int i = 0; i < 20; i++) {
            f.submit(task("t-" + i).build());
        }
        List<TaskAssignment> sent = sentTo("fast", "slow");
        assertThat(sent).hasSize(20);
        assertThat(sent.stream().filter(a -> a.getWorkerId().equals("fast")).count()).isGreaterThanOrEqualTo(18);
        assertThat(f.explanation("t-0").getStrategy()).isEqualTo("auto:predictive");
    }

    @Test
    void explainNamesTheRuleThatExcludedEachWorker() {
        f.heartbeat("cpu", Map.of("gpu", "false"));
        f.heartbeat("gpu", Map.of("gpu", "true"));
        f.heartbeat("old", Map.of("gpu", "true"), WorkerStatus.DRAINING, 7L);
        f.advance(DispatcherFixture.TICK);
        f.submit(task("render").setRequiredLabels(Map.of("gpu", "true")).build());
        f.submit(task("tpu").setRequiredLabels(Map.of("tpu", "v5")).build());

        RoutingExplanation routed = f.explanation("render");
        assertThat(routed.getOutcome()).isEqualTo(DecisionOutcome.ASSIGNED);
        assertThat(routed.getWorkerId()).isEqualTo("gpu");
        assertThat(routed.getCandidates()).containsExactly("gpu");
        assertThat(routed.getExcluded()).containsOnlyKeys("cpu", "old");
        assertThat(routed.getExcluded().get("cpu")).contains("gpu=true");
        assertThat(routed.getExcluded().get("old")).contains("DRAINING");

        RoutingExplanation parked = f.explanation("tpu");
        assertThat(parked.getOutcome()).isEqualTo(DecisionOutcome.PARKED);
        assertThat(parked.getReason()).isNotBlank();
        assertThat(parked.getExcluded()).containsOnlyKeys("cpu", "gpu", "old");
        assertThat(f.decisions.readValuesToList()).extracting(RoutingExplanation::getTaskId)
                .containsExactly("render", "tpu");
    }

    @Test
    void tasksOfOneAffinityKeyKeepTheirWorkerAndOrderWhileItIsNotOverloaded() {
        f.close();
        f = new DispatcherFixture(new RoutingConfig(Strategy.CONSISTENT_HASH, null, 0, 10.0, 2));
        f.workers("w1", "w2", "w3", "w4");
        for (int i = 0; i < 40; i++) {
            f.submit(task("t-" + i).setAffinityKey("customer-7").build());
        }
        Set<String> workers = new HashSet<>();
        List<String> order = new ArrayList<>();
        for (TaskAssignment a : sentTo("w1", "w2", "w3", "w4")) {
            workers.add(a.getWorkerId());
            order.add(a.getTask().getId());
        }
        assertThat(workers).hasSize(1);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            expected.add("t-" + i);
        }
        assertThat(order).isEqualTo(expected);
    }
}
