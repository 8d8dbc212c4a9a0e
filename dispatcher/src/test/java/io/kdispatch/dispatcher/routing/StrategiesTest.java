package io.kdispatch.dispatcher.routing;

import static io.kdispatch.dispatcher.routing.Fixtures.assigned;
import static io.kdispatch.dispatcher.routing.Fixtures.ready;
import static io.kdispatch.dispatcher.routing.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class StrategiesTest {

    private static Router router(Map<String, WorkerState> fleet, Strategy strategy) {
        return new Router(fleet, RoutingConfig.defaults().withStrategy(strategy).withPrefetch(0));
    }

    @Property(tries = 50)
    void leastLoadedSendsEachTaskToTheLessLoadedOfItsTwoChoices(@ForAll @IntRange(min = 2, max = 30) int n,
                                                                @ForAll long seed) {
        Random random = new Random(seed);
        Router router = new Router(Fixtures.roomy(n), RoutingConfig.defaults().withStrategy(Strategy.LEAST_LOADED));
        for (int t = 0; t < 30; t++) {
            RoutingRequest request = RoutingRequest.of("task-" + random.nextInt(), null);
            // Find the task's two choices from outside: with equal loads the lower ID of the two wins; loading
            // that one reveals the other.
            String lower = assigned(router.decide(request, LoadView.IDLE)).workerId();
            String higher = assigned(router.decide(request, new Fixtures.Loads().set(lower, 1))).workerId();
            assertThat(higher).isNotEqualTo(lower);
            assertThat(higher.compareTo(lower)).as("ties go to the lower ID").isPositive();

            Fixtures.Loads loads = new Fixtures.Loads();
            for (String id : Fixtures.ids(n)) {
                loads.set(id, random.nextInt(5));
            }
            RoutingDecision.Assigned decision = assigned(router.decide(request, loads));
            String expected = loads.load(higher) < loads.load(lower) ? higher : lower;
            assertThat(decision.workerId()).isEqualTo(expected);
            assertThat(decision.rule()).isEqualTo("least-loaded");
        }
    }

    @Test
    void leastLoadedNeverPicksTheOnlyBusyWorker() {
        Router router = new Router(Fixtures.roomy(10), RoutingConfig.defaults().withStrategy(Strategy.LEAST_LOADED));
        Fixtures.Loads loads = new Fixtures.Loads().set("worker-3", 5);
        for (int t = 0; t < 1_000; t++) {
            assertThat(assigned(router.decide(RoutingRequest.of("t" + t, null), loads)).workerId())
                    .isNotEqualTo("worker-3");
        }
    }

    @Test
    void weightedSendsSharesProportionalToTheDeclaredWeights() {
        Map<String, Integer> counts = shares(Fixtures.fleet(worker("light", Map.of(), 100, 1),
                worker("heavy", Map.of(), 100, 3)));
        assertThat(counts.get("heavy") / 10_000.0).isCloseTo(0.75, within(0.05));

        Map<String, Integer> four = shares(Fixtures.fleet(worker("w1", Map.of(), 100, 1),
                worker("w2", Map.of(), 100, 2), worker("w3", Map.of(), 100, 3), worker("w4", Map.of(), 100, 4),
                worker("w0", Map.of(), 100, 0)));
        for (int w = 1; w <= 4; w++) {
            assertThat(four.getOrDefault("w" + w, 0) / 10_000.0).as("share of w%d", w)
                    .isCloseTo(w / 10.0, within(0.03));
        }
        assertThat(four.getOrDefault("w0", 0)).as("weight 0 counts as tiny").isLessThan(5);
    }

    private static Map<String, Integer> shares(Map<String, WorkerState> fleet) {
        Router router = router(fleet, Strategy.WEIGHTED);
        Map<String, Integer> counts = new HashMap<>();
        for (int t = 0; t < 10_000; t++) {
            RoutingDecision.Assigned decision = assigned(router.decide(RoutingRequest.of("task-" + t, null),
                    LoadView.IDLE));
            assertThat(decision.rule()).isEqualTo("weighted");
            counts.merge(decision.workerId(), 1, Integer::sum);
        }
        return counts;
    }

    @Test
    void predictiveAvoidsASlowWorkerUntilTheFastOnesAreQueuedLongEnough() {
        Map<String, WorkerState> fleet = Fixtures.roomy(3);
        Router router = router(fleet, Strategy.PREDICTIVE);
        Fixtures.Loads loads = new Fixtures.Loads().serviceTime("worker-0", 100).serviceTime("worker-1", 10)
                .serviceTime("worker-2", 10);
        int slow = 0;
        for (int t = 0; t < 18; t++) {
            String id = assigned(router.decide(RoutingRequest.of("t" + t, null), loads)).workerId();
            loads.add(id);
            slow += id.equals("worker-0") ? 1 : 0;
        }
        // The slow worker is worth it only once both fast ones hold 9: (9 + 1) x 10 ms = 1 x 100 ms, a tie that
        // goes to the lower load.
        assertThat(slow).isEqualTo(0);
        assertThat(loads.load("worker-1")).isEqualTo(9);
        assertThat(loads.load("worker-2")).isEqualTo(9);
        assertThat(assigned(router.decide(RoutingRequest.of("t18", null), loads)).workerId()).isEqualTo("worker-0");
        loads.set("worker-1", 12).set("worker-2", 12);
        RoutingDecision.Assigned decision = assigned(router.decide(RoutingRequest.of("t", null), loads));
        assertThat(decision.workerId()).isEqualTo("worker-0");
        assertThat(decision.rule()).isEqualTo("predictive");
    }

    @Test
    void predictiveCountsAnUnknownServiceTimeAsTheMeanOfTheKnownOnes() {
        Router router = router(Fixtures.fleet(ready("fast"), ready("new"), ready("slow")), Strategy.PREDICTIVE);
        Fixtures.Loads loads = new Fixtures.Loads().serviceTime("fast", 10).serviceTime("slow", 50)
                .set("fast", 3).set("new", 1).set("slow", 0);
        // fast: 4 x 10 = 40; new: 2 x 30 (mean) = 60; slow: 1 x 50 = 50.
        assertThat(assigned(router.decide(RoutingRequest.of("t", null), loads)).workerId()).isEqualTo("fast");
        loads.set("fast", 6);
        // fast: 70; new: 60; slow: 50.
        assertThat(assigned(router.decide(RoutingRequest.of("t", null), loads)).workerId()).isEqualTo("slow");
    }

    @Test
    void autoPicksFromObservedSkewAndSaysWhichItPicked() {
        Router router = router(Fixtures.roomy(4), Strategy.AUTO);
        Fixtures.Loads spread = new Fixtures.Loads().serviceTime("worker-0", 10).serviceTime("worker-1", 40);
        RoutingDecision.Assigned predictive = assigned(router.decide(RoutingRequest.of("t", null), spread));
        assertThat(predictive.strategy()).isEqualTo("auto:predictive");
        assertThat(predictive.rule()).isEqualTo("auto:predictive");
        assertThat(predictive.workerId()).as("fastest known, load equal").isEqualTo("worker-0");

        Fixtures.Loads skewed = new Fixtures.Loads().set("worker-0", 40).set("worker-1", 10).set("worker-2", 10)
                .set("worker-3", 10).serviceTime("worker-0", 10).serviceTime("worker-1", 15);
        assertThat(assigned(router.decide(RoutingRequest.of("t", null), skewed)).strategy())
                .isEqualTo("auto:least-loaded");

        Fixtures.Loads even = new Fixtures.Loads().set("worker-0", 10).set("worker-1", 11).set("worker-2", 10)
                .set("worker-3", 12);
        assertThat(assigned(router.decide(RoutingRequest.of("t", null), even)).strategy())
                .isEqualTo("auto:consistent-hash");
    }

    @Property(tries = 12)
    void anAbSplitSendsTheConfiguredShareToTheSecondStrategyAndKeepsEachTaskOnItsSide(
            @ForAll @IntRange(min = 0, max = 100) int percent) {
        RoutingConfig config = RoutingConfig.defaults().withAbSplit(Strategy.LEAST_LOADED, percent);
        Router router = new Router(Fixtures.roomy(5), config);
        Router twin = new Router(Fixtures.roomy(5), config);
        Fixtures.Loads busy = new Fixtures.Loads().set("worker-1", 7);
        int sideB = 0;
        for (int t = 0; t < 10_000; t++) {
            RoutingRequest request = RoutingRequest.of("task-" + t, null);
            RoutingDecision.Assigned decision = assigned(router.decide(request, LoadView.IDLE));
            if (decision.strategy().equals("least-loaded")) {
                assertThat(decision.rule()).isEqualTo("ab:least-loaded");
                sideB++;
            } else {
                assertThat(decision.rule()).startsWith("consistent-hash");
            }
            String again = assigned(twin.decide(request, busy)).strategy();
            assertThat(again).as("task-%d stays on its side", t).isEqualTo(decision.strategy());
        }
        assertThat(sideB / 100.0).isCloseTo(percent, within(3.0));
    }
}
