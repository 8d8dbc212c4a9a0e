package io.kdispatch.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.health.Liveness;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * The router on its load board decides exactly as the router before the board did ({@link ReferenceRouter},
 * which read every eligible worker's load per decision): same worker, rule, strategy and binding, same
 * parked reason, and lists that are the reference's complete lists or their first entries, with the
 * reference's sizes as counts. Random fleets (liveness, cordons, breakers, labels, capacities), label rules
 * and preferences, affinity keys with and without bindings, sticky and avoided workers, anti-affinity
 * groups, loads with full workers, credits and every strategy. Between decisions the chosen worker gets the
 * task and random workers finish one, pushed into one live board by {@link LoadBoard#refresh}, so the
 * board's aggregates are checked after every change. jqwik reports the failing {@code seed}.
 */
class RouterBoardPropertyTest {
    private static final List<List<LabelRule>> REQUIREMENTS = List.of(
            List.of(),
            List.of(LabelRule.equalTo("gpu", "true")),
            List.of(new LabelRule("zone", LabelRule.Operator.IN, Set.of("z1", "z2")), LabelRule.equalTo("disk", "ssd")),
            List.of(new LabelRule("zone", LabelRule.Operator.NOT_IN, Set.of("z0"))));

    @Property(tries = 400)
    void theBoardDecidesAsTheReference(@ForAll @IntRange(min = 0, max = 60) int n, @ForAll long seed) {
        Random random = new Random(seed);
        Map<String, WorkerState> fleet = fleet(random, n);
        RoutingConfig config = config(random);
        Router router = new Router(fleet, config);
        ReferenceRouter reference = new ReferenceRouter(fleet, config);
        CreditLoads loads = new CreditLoads();
        for (String id : fleet.keySet()) {
            loads.set(id, random.nextInt(9));
            loads.credit.put(id, random.nextInt(3));
            loads.serviceTime(id, random.nextBoolean() ? Double.NaN : 1 + random.nextInt(50));
        }
        LoadBoard board = router.board(loads);
        List<String> ids = List.copyOf(new TreeSet<>(fleet.keySet()));
        for (int t = 0; t < 80; t++) {
            RoutingRequest request = request(random, "task-" + t, ids);
            RoutingDecision expected = reference.decide(request, loads);
            RoutingDecision actual = router.decide(request, board);
            same(actual, expected);
            if (actual instanceof RoutingDecision.Assigned assigned) {
                loads.add(assigned.workerId());
                board.refresh(assigned.workerId());
            }
            if (!ids.isEmpty() && random.nextInt(3) == 0) {
                String done = ids.get(random.nextInt(ids.size()));
                loads.set(done, Math.max(0, loads.load(done) - 1 - random.nextInt(2)));
                loads.credit.put(done, random.nextInt(3));
                board.refresh(done);
            }
        }
    }

    private static void same(RoutingDecision actual, RoutingDecision expected) {
        assertThat(actual.getClass()).as("outcome of %s", expected).isEqualTo(expected.getClass());
        assertThat(actual.excludedCount()).isEqualTo(expected.excluded().size());
        assertThat(entries(actual.excluded())).as("exclusions, the reference's first")
                .isEqualTo(entries(expected.excluded()).subList(0, actual.excluded().size()));
        assertThat(actual.excluded().size()).isGreaterThanOrEqualTo(
                Math.min(RoutingDecision.DETAIL_LIMIT, expected.excluded().size()));
        if (expected instanceof RoutingDecision.Parked parked) {
            assertThat(((RoutingDecision.Parked) actual).reason()).isEqualTo(parked.reason());
            return;
        }
        RoutingDecision.Assigned want = (RoutingDecision.Assigned) expected;
        RoutingDecision.Assigned got = (RoutingDecision.Assigned) actual;
        assertThat(List.of(got.workerId(), got.rule(), got.strategy(), String.valueOf(got.binding())))
                .isEqualTo(List.of(want.workerId(), want.rule(), want.strategy(), String.valueOf(want.binding())));
        assertThat(got.candidateCount()).isEqualTo(want.candidates().size());
        assertThat(got.candidates()).isEqualTo(want.candidates().subList(0, got.candidates().size()));
        assertThat(got.candidates().size()).isGreaterThanOrEqualTo(
                Math.min(RoutingDecision.DETAIL_LIMIT, want.candidates().size()));
    }

    private static List<Map.Entry<String, String>> entries(Map<String, String> map) {
        return new ArrayList<>(map.entrySet()).stream().map(e -> Map.entry(e.getKey(), e.getValue())).toList();
    }

    private static Map<String, WorkerState> fleet(Random random, int n) {
        Map<String, WorkerState> fleet = new HashMap<>();
        Liveness[] states = Liveness.values();
        for (int i = 0; i < n; i++) {
            Map<String, String> labels = new HashMap<>();
            if (random.nextBoolean()) {
                labels.put("gpu", random.nextBoolean() ? "true" : "false");
            }
            labels.put("zone", "z" + random.nextInt(3));
            labels.put("disk", random.nextBoolean() ? "ssd" : "hdd");
            Liveness liveness = random.nextInt(4) == 0 ? states[random.nextInt(states.length)] : Liveness.READY;
            String id = "w" + i;
            fleet.put(id, new WorkerState(id, 1, liveness, labels, random.nextInt(6), random.nextDouble() * 4 - 0.5,
                    random.nextInt(10) == 0, random.nextInt(10) == 0));
        }
        return fleet;
    }

    private static RoutingConfig config(Random random) {
        Strategy[] strategies = Strategy.values();
        Strategy main = random.nextBoolean() ? Strategy.CONSISTENT_HASH : strategies[random.nextInt(strategies.length)];
        Strategy ab = random.nextInt(3) > 0 ? null : strategies[random.nextInt(strategies.length)];
        return new RoutingConfig(main, ab, random.nextInt(101), 1.0 + random.nextDouble() * 2, random.nextInt(4));
    }

    private static RoutingRequest request(Random random, String taskId, List<String> ids) {
        String key = random.nextInt(3) > 0 ? "key-" + random.nextInt(20) : null;
        String group = random.nextInt(3) == 0 ? "job-" + random.nextInt(3) : null;
        Map<String, String> preferences = random.nextInt(4) == 0 ? Map.of("zone", "z" + random.nextInt(3)) : Map.of();
        String bound = key != null && random.nextBoolean() ? pick(random, ids) : null;
        return new RoutingRequest(taskId, key, REQUIREMENTS.get(random.nextInt(REQUIREMENTS.size())), preferences,
                random.nextInt(5) == 0 ? pick(random, ids) : null, subset(random, ids, random.nextInt(3)), group,
                subset(random, ids, 5), random.nextInt(8) == 0 ? "gone" : bound, random.nextBoolean());
    }

    private static String pick(Random random, List<String> ids) {
        return ids.isEmpty() ? null : ids.get(random.nextInt(ids.size()));
    }

    private static Set<String> subset(Random random, List<String> ids, int max) {
        Set<String> subset = new TreeSet<>();
        int size = ids.isEmpty() || max == 0 ? 0 : random.nextInt(max + 1);
        for (int i = 0; i < size; i++) {
            subset.add(ids.get(random.nextInt(ids.size())));
        }
        return subset;
    }

    /** Loads with a credit per worker beyond the prefetch, as a worker that declares its queue gets. */
    private static final class CreditLoads extends Fixtures.Loads {
        final Map<String, Integer> credit = new HashMap<>();

        @Override
        public int limit(String workerId, int capacity, int prefetch) {
            return capacity + prefetch + credit.getOrDefault(workerId, 0);
        }
    }
}
