package io.kdispatch.dispatcher.routing;

import static io.kdispatch.dispatcher.routing.Fixtures.assigned;
import static io.kdispatch.dispatcher.routing.Fixtures.parked;
import static io.kdispatch.dispatcher.routing.Fixtures.ready;
import static io.kdispatch.dispatcher.routing.Fixtures.worker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.health.Liveness;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final List<LabelRule> GPU = List.of(LabelRule.equalTo("gpu", "true"));

    private static RoutingRequest request(String taskId, List<LabelRule> requirements, Map<String, String> preferences,
                                          String sticky, Set<String> avoid, String group, Set<String> occupied) {
        return new RoutingRequest(taskId, null, requirements, preferences, sticky, avoid, group, occupied);
    }

    @Test
    void parkingExplainsWhichRuleExcludedEachWorker() {
        Map<String, WorkerState> fleet = Fixtures.fleet(
                new WorkerState("a-suspect", 1, Liveness.SUSPECT, Map.of("gpu", "true"), 4, 1, false, false),
                new WorkerState("b-cordoned", 1, Liveness.READY, Map.of("gpu", "true"), 4, 1, true, false),
                new WorkerState("c-breaker", 1, Liveness.READY, Map.of("gpu", "true"), 4, 1, false, true),
                worker("d-cpu", Map.of(), 4, 1),
                worker("e-full", Map.of("gpu", "true"), 4, 1),
                worker("f-grouped", Map.of("gpu", "true"), 4, 1),
                worker("g-full", Map.of("gpu", "true"), 4, 1));
        Fixtures.Loads loads = new Fixtures.Loads().set("e-full", 6).set("g-full", 7);
        RoutingDecision decision = Fixtures.router(fleet).decide(
                request("t", GPU, Map.of(), null, Set.of(), "job-3", Set.of("f-grouped")), loads);

        RoutingDecision.Parked parked = parked(decision);
        assertThat(parked.excluded()).containsExactly(
                Map.entry("a-suspect", "liveness SUSPECT"),
                Map.entry("b-cordoned", "cordoned"),
                Map.entry("c-breaker", "breaker open"),
                Map.entry("d-cpu", "label requirement gpu=true not met"),
                Map.entry("e-full", "full (load 6 >= capacity 4 + credit 2)"),
                Map.entry("f-grouped", "anti-affinity: already runs a member of group job-3"),
                Map.entry("g-full", "full (load 7 >= capacity 4 + credit 2)"));
        assertThat(parked.reason()).isEqualTo("no eligible worker among 7: 2 full, "
                + "1 anti-affinity: already runs a member of group job-3, 1 breaker open, 1 cordoned, "
                + "1 label requirement gpu=true not met, 1 liveness SUSPECT");
    }

    @Test
    void theParkReasonCountsTheMostFrequentRuleFirst() {
        Map<String, WorkerState> fleet = Fixtures.fleet(ready("a"), ready("b"), ready("c"),
                worker("d", Map.of(), 1, 1), worker("e", Map.of(), 1, 1));
        Fixtures.Loads loads = new Fixtures.Loads().set("a", 6).set("b", 6).set("c", 6);
        RoutingDecision.Parked parked = parked(Fixtures.router(fleet).decide(request("t", GPU, Map.of(), null,
                Set.of(), null, Set.of()), loads));
        assertThat(parked.reason()).isEqualTo("no eligible worker among 5: 5 label requirement gpu=true not met");
        RoutingDecision.Parked full = parked(Fixtures.router(fleet).decide(RoutingRequest.of("t", null),
                loads.set("d", 3).set("e", 3)));
        assertThat(full.reason()).isEqualTo("no eligible worker among 5: 5 full");
    }

    @Test
    void anEmptyFleetParksWithNoWorkersKnown() {
        RoutingDecision.Parked parked = parked(Fixtures.router(Map.of()).decide(RoutingRequest.of("t", "k"),
                LoadView.IDLE));
        assertThat(parked.reason()).isEqualTo("no workers known");
        assertThat(parked.excluded()).isEmpty();
    }

    @Test
    void anAssignmentListsCandidatesAndExcludedWorkers() {
        Map<String, WorkerState> fleet = Fixtures.fleet(worker("gpu-1", Map.of("gpu", "true"), 4, 1),
                worker("gpu-2", Map.of("gpu", "true"), 4, 1), worker("gpu-3", Map.of("gpu", "true"), 4, 1),
                ready("cpu-1"));
        Fixtures.Loads loads = new Fixtures.Loads().set("gpu-3", 6);
        RoutingDecision.Assigned assigned = assigned(Fixtures.router(fleet).decide(request("t", GPU, Map.of(), null,
                Set.of(), null, Set.of()), loads));

        assertThat(assigned.candidates()).containsExactly("gpu-1", "gpu-2");
        assertThat(assigned.workerId()).isIn("gpu-1", "gpu-2");
        assertThat(assigned.excluded()).containsExactly(
                Map.entry("cpu-1", "label requirement gpu=true not met"),
                Map.entry("gpu-3", "full (load 6 >= capacity 4 + credit 2)"));
        assertThat(assigned.rule()).isEqualTo("consistent-hash");
        assertThat(assigned.strategy()).isEqualTo("consistent-hash");
    }

    @Test
    void theAvoidRuleIsSoftAndSaysWhyWhenApplied() {
        Map<String, WorkerState> fleet = Fixtures.fleet(ready("a"), ready("b"));
        Router router = Fixtures.router(fleet);
        for (int t = 0; t < 20; t++) {
            String first = assigned(router.decide(RoutingRequest.of("t" + t, null), LoadView.IDLE)).workerId();
            RoutingDecision.Assigned retry = assigned(router.decide(request("t" + t, List.of(), Map.of(), null,
                    Set.of(first), null, Set.of()), LoadView.IDLE));
            assertThat(retry.workerId()).isNotEqualTo(first);
            assertThat(retry.excluded()).containsExactly(Map.entry(first, Eligibility.AVOIDED));
        }
        RoutingDecision.Assigned alone = assigned(Fixtures.router(Fixtures.fleet(ready("a"))).decide(
                request("t", List.of(), Map.of(), null, Set.of("a"), null, Set.of()), LoadView.IDLE));
        assertThat(alone.workerId()).as("the only eligible worker still gets its retry").isEqualTo("a");
        assertThat(alone.excluded()).isEmpty();
    }

    @Test
    void aStickyTaskStaysOnItsWorkerWhileItIsEligible() {
        Map<String, WorkerState> fleet = Fixtures.fleet(ready("a"), ready("b"), ready("c"));
        Router router = Fixtures.router(fleet);
        for (String holder : List.of("a", "b", "c")) {
            RoutingDecision.Assigned sticky = assigned(router.decide(new RoutingRequest("t", "key", List.of(), Map.of(),
                    holder, Set.of(), null, Set.of()), LoadView.IDLE));
            assertThat(sticky.workerId()).isEqualTo(holder);
            assertThat(sticky.rule()).isEqualTo("sticky");
            assertThat(sticky.strategy()).isEqualTo("sticky");
        }
        RoutingDecision.Assigned moved = assigned(router.decide(request("t", List.of(), Map.of(), "a", Set.of(), null,
                Set.of()), new Fixtures.Loads().set("a", 6)));
        assertThat(moved.workerId()).isNotEqualTo("a");
        assertThat(moved.rule()).isEqualTo("consistent-hash");
    }

    @Test
    void anAffinityKeyKeepsItsWorkerAndMovesOnlyWhenThatWorkerIsOverTheBound() {
        Router router = Fixtures.router(Fixtures.roomy(4));
        RoutingDecision.Assigned first = assigned(router.decide(RoutingRequest.of("t1", "customer-7"), LoadView.IDLE));
        assertThat(first.rule()).isEqualTo("affinity-hash");
        assertThat(first.strategy()).isEqualTo("affinity-hash");
        for (int t = 2; t < 20; t++) {
            assertThat(assigned(router.decide(RoutingRequest.of("t" + t, "customer-7"), LoadView.IDLE)).workerId())
                    .isEqualTo(first.workerId());
        }
        // 10 tasks on the owner, none elsewhere: bound = ceil(1.25 x 11 / 4) = 4, so the owner is skipped.
        RoutingDecision.Assigned bounded = assigned(router.decide(RoutingRequest.of("t99", "customer-7"),
                new Fixtures.Loads().set(first.workerId(), 10)));
        assertThat(bounded.workerId()).isNotEqualTo(first.workerId());
        assertThat(bounded.rule()).isEqualTo("affinity-hash+bounded");
    }

    @Test
    void preferredLabelsOrderCandidatesButNeverExcludeAWorker() {
        Map<String, WorkerState> fleet = Fixtures.fleet(worker("a", Map.of("zone", "z1"), 4, 1),
                worker("b", Map.of("zone", "z2", "disk", "ssd"), 4, 1), worker("c", Map.of("zone", "z2"), 4, 1),
                worker("d", Map.of(), 4, 1));
        Router router = new Router(fleet, RoutingConfig.defaults().withStrategy(Strategy.LEAST_LOADED));
        Map<String, String> prefer = Map.of("zone", "z2", "disk", "ssd");
        for (int t = 0; t < 50; t++) {
            RoutingDecision.Assigned best = assigned(router.decide(request("t" + t, List.of(), prefer, null, Set.of(),
                    null, Set.of()), LoadView.IDLE));
            assertThat(best.workerId()).as("matches both preferences").isEqualTo("b");
            assertThat(best.candidates()).containsExactly("a", "b", "c", "d");
            RoutingDecision.Assigned next = assigned(router.decide(request("t" + t, List.of(), prefer, null, Set.of(),
                    null, Set.of()), new Fixtures.Loads().set("b", 6)));
            assertThat(next.workerId()).as("best remaining match").isEqualTo("c");
            RoutingDecision.Assigned any = assigned(router.decide(request("t" + t, List.of(), prefer, null, Set.of(),
                    null, Set.of()), new Fixtures.Loads().set("b", 6).set("c", 6)));
            assertThat(any.workerId()).as("no match left, still routed").isIn("a", "d");
        }
    }

    @Test
    void staticRulesAreEvaluatedOncePerSignatureAndReusedByLaterDecisions() {
        Router router = Fixtures.router(Fixtures.fleet(worker("g", Map.of("gpu", "true"), 4, 1), ready("c")));
        RoutingDecision first = router.decide(request("t1", GPU, Map.of(), null, Set.of(), null, Set.of()),
                LoadView.IDLE);
        RoutingDecision second = router.decide(request("t2", List.of(LabelRule.equalTo("gpu", "true")), Map.of(),
                null, Set.of(), null, Set.of()), new Fixtures.Loads().set("g", 3));
        assertThat(assigned(second).candidates()).isSameAs(assigned(first).candidates());
        assertThat(second.excluded()).isSameAs(first.excluded());
        Router reconfigured = router.withConfig(RoutingConfig.defaults().withPrefetch(0));
        assertThat(reconfigured.decide(request("t3", GPU, Map.of(), null, Set.of(), null, Set.of()), LoadView.IDLE)
                .excluded()).as("the table survives a config change").isSameAs(first.excluded());
    }

    @Test
    void aReplacedFleetIsRoutedAfreshAndRejectsMismatchedKeys() {
        Router router = Fixtures.router(Fixtures.fleet(ready("a"), ready("b")));
        Router cordoned = router.withWorkers(Fixtures.fleet(ready("a"),
                new WorkerState("b", 1, Liveness.READY, Map.of(), 4, 1, true, false)));
        assertThat(cordoned.workers()).containsOnlyKeys("a", "b");
        for (int t = 0; t < 20; t++) {
            assertThat(assigned(cordoned.decide(RoutingRequest.of("t" + t, "k" + t), LoadView.IDLE)).workerId())
                    .isEqualTo("a");
        }
        assertThatThrownBy(() -> new Router(Map.of("a", ready("b")), RoutingConfig.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("worker map key a does not match the worker's ID b");
        assertThatThrownBy(() -> new WorkerState("w", 1, Liveness.READY, Map.of(), -1, 1, false, false))
                .hasMessage("capacity of worker w must not be negative, was -1");
    }

    @Test
    void missingOptionalRequestFieldsCountAsAbsent() {
        RoutingRequest request = new RoutingRequest("t", "", null, null, "", null, "", Set.of("a"));
        assertThat(request.affinityKey()).isNull();
        assertThat(request.stickyWorker()).isNull();
        assertThat(request.antiAffinityGroup()).isNull();
        assertThat(request.groupOccupied()).as("no group, nothing occupied").isEmpty();
        assertThat(request.requirements()).isEmpty();
        assertThat(request.avoidWorkers()).isEmpty();
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
