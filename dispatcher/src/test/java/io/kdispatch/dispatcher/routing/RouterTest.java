package io.kdispatch.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.health.Liveness;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RouterTest {

    @Property(tries = 200)
    void hardRequirementsAreNeverViolatedAndDecisionsAreDeterministic(@ForAll @IntRange(min = 1, max = 30) int n,
                                                                     @ForAll long seed) {
        java.util.Random random = new java.util.Random(seed);
        Map<String, WorkerState> fleet = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> labels = new HashMap<>();
            if (random.nextBoolean()) {
                labels.put("gpu", random.nextBoolean() ? "true" : "false");
            }
            if (random.nextBoolean()) {
                labels.put("zone", "z" + random.nextInt(3));
            }
            Liveness liveness = Liveness.values()[random.nextInt(Liveness.values().length)];
            fleet.put("w" + i, new WorkerState("w" + i, 1, liveness, labels, 4, 0, 1.0));
        }
        List<LabelRule> rules = List.of(LabelRule.equalTo("gpu", "true"),
                new LabelRule("zone", LabelRule.Operator.NOT_IN, Set.of("z0")));
        Router router = new Router(fleet);
        for (int t = 0; t < 50; t++) {
            RoutingRequest request = new RoutingRequest("t" + t, t % 3 == 0 ? "key" + t : null, rules, Set.of());
            RoutingDecision decision = router.decide(request);
            assertThat(new Router(fleet).decide(request)).isEqualTo(decision);
            if (decision instanceof RoutingDecision.Assigned a) {
                WorkerState w = fleet.get(a.workerId());
                assertThat(w.liveness().acceptsWork()).isTrue();
                assertThat(rules).allSatisfy(r -> assertThat(r.matches(w.labels())).isTrue());
            } else {
                RoutingDecision.Parked p = (RoutingDecision.Parked) decision;
                assertThat(p.excluded()).hasSize(n);
            }
        }
    }

    @Test
    void parkingExplainsWhichRuleExcludedEachWorker() {
        Router router = new Router(Map.of(
                "a", new WorkerState("a", 1, Liveness.DEAD, Map.of("gpu", "true"), 4, 0, 1),
                "b", new WorkerState("b", 1, Liveness.READY, Map.of(), 4, 0, 1)));
        RoutingDecision d = router.decide(new RoutingRequest("t", null, List.of(LabelRule.equalTo("gpu", "true")),
                Set.of()));
        assertThat(d).isInstanceOf(RoutingDecision.Parked.class);
        assertThat(((RoutingDecision.Parked) d).excluded()).containsEntry("a", "liveness DEAD")
                .containsEntry("b", "label requirement gpu=true not met");
    }

    @Test
    void aRetryAvoidsThePreviousWorkerWhenAnotherIsEligible() {
        Map<String, WorkerState> fleet = Map.of(
                "a", new WorkerState("a", 1, Liveness.READY, Map.of(), 4, 0, 1),
                "b", new WorkerState("b", 1, Liveness.READY, Map.of(), 4, 0, 1));
        Router router = new Router(fleet);
        for (int t = 0; t < 20; t++) {
            String first = ((RoutingDecision.Assigned) router.decide(RoutingRequest.of("t" + t, null))).workerId();
            RoutingDecision retry = router.decide(new RoutingRequest("t" + t, null, List.of(), Set.of(first)));
            assertThat(((RoutingDecision.Assigned) retry).workerId()).isNotEqualTo(first);
        }
        Router single = new Router(Map.of("a", fleet.get("a")));
        assertThat(((RoutingDecision.Assigned) single.decide(new RoutingRequest("t", null, List.of(), Set.of("a"))))
                .workerId()).isEqualTo("a");
    }

    @Test
    void labelRulesFollowSelectorSemantics() {
        Map<String, String> labels = Map.of("zone", "a", "gpu", "true");
        assertThat(new LabelRule("zone", LabelRule.Operator.IN, Set.of("a", "b")).matches(labels)).isTrue();
        assertThat(new LabelRule("zone", LabelRule.Operator.NOT_IN, Set.of("a")).matches(labels)).isFalse();
        assertThat(new LabelRule("tpu", LabelRule.Operator.NOT_IN, Set.of("v5")).matches(labels)).isTrue();
        assertThat(new LabelRule("gpu", LabelRule.Operator.EXISTS, Set.of()).matches(labels)).isTrue();
        assertThat(new LabelRule("gpu", LabelRule.Operator.DOES_NOT_EXIST, Set.of()).matches(labels)).isFalse();
    }
}
