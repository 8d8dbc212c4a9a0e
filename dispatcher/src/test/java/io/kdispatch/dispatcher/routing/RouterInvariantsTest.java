package io.kdispatch.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.health.Liveness;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Invariant 3 and 4 of DESIGN.md, over random fleets, configs and requests: whatever the mix, a task
 * never reaches a worker that breaks a hard rule, and the same inputs always give the same decision.
 * jqwik reports the failing {@code seed}; rerun with it to replay the story.
 */
class RouterInvariantsTest {
    private static final List<List<LabelRule>> REQUIREMENTS = List.of(
            List.of(),
            List.of(LabelRule.equalTo("gpu", "true")),
            List.of(LabelRule.equalTo("gpu", "true"), new LabelRule("zone", LabelRule.Operator.NOT_IN, Set.of("z0"))),
            List.of(new LabelRule("zone", LabelRule.Operator.EXISTS, Set.of())),
            List.of(new LabelRule("gpu", LabelRule.Operator.DOES_NOT_EXIST, Set.of())),
            List.of(new LabelRule("zone", LabelRule.Operator.IN, Set.of("z1", "z2"))));

    @Property(tries = 300)
    void noTaskEverBreaksAHardRuleAndDecisionsAreDeterministic(@ForAll @IntRange(min = 0, max = 30) int n,
                                                               @ForAll long seed) {
        Random random = new Random(seed);
        Map<String, WorkerState> fleet = randomFleet(random, n);
        RoutingConfig config = randomConfig(random);
        Router router = new Router(fleet, config);
        Fixtures.Loads loads = new Fixtures.Loads();
        for (String id : fleet.keySet()) {
            loads.set(id, random.nextInt(9));
            loads.serviceTime(id, random.nextBoolean() ? Double.NaN : 1 + random.nextInt(50));
        }
        for (int t = 0; t < 60; t++) {
            RoutingRequest request = randomRequest(random, "task-" + t, fleet);
            RoutingDecision decision = router.decide(request, loads);
            Router twin = new Router(new HashMap<>(fleet), config);
            assertThat(twin.decide(request, loads)).as("same inputs, same decision").isEqualTo(decision);
            if (decision instanceof RoutingDecision.Assigned assigned) {
                checkAssignment(assigned, request, fleet, loads, config);
                loads.add(assigned.workerId());
            } else {
                RoutingDecision.Parked parked = (RoutingDecision.Parked) decision;
                assertThat(parked.excludedCount()).as("every worker explained").isEqualTo(n);
                assertThat(parked.excluded()).as("the first ones listed").hasSize(Math.min(n, RoutingDecision.DETAIL_LIMIT));
                assertThat(parked.excluded()).as("the avoid rule is soft").doesNotContainValue(Eligibility.AVOIDED);
            }
        }
    }

    private static void checkAssignment(RoutingDecision.Assigned assigned, RoutingRequest request,
                                        Map<String, WorkerState> fleet, LoadView loads, RoutingConfig config) {
        WorkerState worker = fleet.get(assigned.workerId());
        assertThat(worker.liveness().acceptsWork()).as("liveness of %s", worker.id()).isTrue();
        assertThat(worker.cordoned()).as("cordoned").isFalse();
        assertThat(worker.breakerOpen()).as("breaker open").isFalse();
        assertThat(request.requirements()).allSatisfy(rule -> assertThat(rule.matches(worker.labels())).isTrue());
        assertThat(loads.load(worker.id())).as("not full").isLessThan(worker.capacity() + config.prefetch());
        assertThat(request.groupOccupied()).as("anti-affinity").doesNotContain(worker.id());
        if (assigned.candidates().size() == assigned.candidateCount()) {
            assertThat(assigned.candidates()).contains(worker.id());
        }
        assertThat(assigned.excluded()).doesNotContainKey(worker.id());
        assertThat(assigned.candidates()).as("candidates are not excluded")
                .noneMatch(id -> assigned.excluded().containsKey(id));
        assertThat(assigned.candidateCount() + assigned.excludedCount()).as("every worker counted")
                .isEqualTo(fleet.size());
        assertThat(assigned.candidates()).as("listed in ID order").isSorted();
        assertThat(assigned.candidates()).hasSizeGreaterThanOrEqualTo(
                Math.min(assigned.candidateCount(), RoutingDecision.DETAIL_LIMIT));
        assertThat(assigned.excluded()).hasSizeGreaterThanOrEqualTo(
                Math.min(assigned.excludedCount(), RoutingDecision.DETAIL_LIMIT));
        Set<String> explained = new HashSet<>(assigned.candidates());
        explained.addAll(assigned.excluded().keySet());
        List<String> first = new java.util.TreeSet<>(fleet.keySet()).stream()
                .limit(RoutingDecision.DETAIL_LIMIT).toList();
        assertThat(explained).as("the first workers by ID are each a candidate or excluded").containsAll(first);
        if (explained.size() == fleet.size()) {
            assertThat(explained).as("every worker is a candidate or excluded").isEqualTo(fleet.keySet());
        }
        if (request.avoidWorkers().contains(worker.id())) {
            assertThat(request.avoidWorkers()).as("avoided only when nobody else fits")
                    .containsAll(assigned.candidates());
        }
        if (request.stickyWorker() != null && assigned.candidates().contains(request.stickyWorker())) {
            assertThat(assigned.workerId()).isEqualTo(request.stickyWorker());
            assertThat(assigned.rule()).isEqualTo("sticky");
        }
    }

    static Map<String, WorkerState> randomFleet(Random random, int n) {
        Map<String, WorkerState> fleet = new HashMap<>();
        Liveness[] states = Liveness.values();
        for (int i = 0; i < n; i++) {
            Map<String, String> labels = new HashMap<>();
            if (random.nextBoolean()) {
                labels.put("gpu", random.nextBoolean() ? "true" : "false");
            }
            if (random.nextBoolean()) {
                labels.put("zone", "z" + random.nextInt(3));
            }
            Liveness liveness = random.nextInt(3) == 0 ? states[random.nextInt(states.length)] : Liveness.READY;
            String id = "w" + i;
            fleet.put(id, new WorkerState(id, 1, liveness, labels, random.nextInt(6), random.nextDouble() * 4 - 0.5,
                    random.nextInt(8) == 0, random.nextInt(8) == 0));
        }
        return fleet;
    }

    private static RoutingConfig randomConfig(Random random) {
        Strategy[] strategies = Strategy.values();
        Strategy ab = random.nextBoolean() ? null : strategies[random.nextInt(strategies.length)];
        return new RoutingConfig(strategies[random.nextInt(strategies.length)], ab, random.nextInt(101),
                1.0 + random.nextDouble() * 2, random.nextInt(4));
    }

    private static RoutingRequest randomRequest(Random random, String taskId, Map<String, WorkerState> fleet) {
        List<String> ids = List.copyOf(new java.util.TreeSet<>(fleet.keySet()));
        String group = random.nextBoolean() ? "job-" + random.nextInt(3) : null;
        Map<String, String> preferences = random.nextBoolean() ? Map.of("zone", "z" + random.nextInt(3)) : Map.of();
        return new RoutingRequest(taskId, random.nextInt(3) == 0 ? "key-" + random.nextInt(20) : null,
                REQUIREMENTS.get(random.nextInt(REQUIREMENTS.size())), preferences,
                random.nextInt(4) == 0 ? pick(random, ids) : null, subset(random, ids, 2), group,
                subset(random, ids, 4));
    }

    private static String pick(Random random, List<String> ids) {
        return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
    }

    private static Set<String> subset(Random random, List<String> ids, int max) {
        Set<String> subset = new HashSet<>();
        int size = ids.isEmpty() ? 0 : random.nextInt(max + 1);
        for (int i = 0; i < size; i++) {
            subset.add(ids.get(random.nextInt(ids.size())));
        }
        return subset;
    }
}
