package io.kdispatch.dispatcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CapacityPlannerTest {
    /** Six workers of 2 slots, 20 ms tasks at 150/s: about 25% busy. */
    private static final String STEADY = """
            name: steady
            duration: 20s
            dispatcher: {topic.partitions: 1}
            fleet:
              - {name: w, count: 6, capacity: 2}
              - {name: other, count: 1, capacity: 1, labels: {pool: other}}
            tasks:
              - {name: t, serviceTime: {dist: exponential, mean: 20ms}}
            arrivals:
              rate: 150/s
            """;

    @Test
    void theSearchFindsTheLeastCountThatPassesFromAboveOrBelow() {
        for (int start : new int[] {1, 3, 7, 10, 64}) {
            List<Integer> probed = new ArrayList<>();
            int found = CapacityPlanner.search(n -> probed.add(n) && n >= 7, start, 100);
            assertThat(found).as("from " + start + ", probed " + probed).isEqualTo(7);
            assertThat(probed.size()).as("probes from " + start).isLessThanOrEqualTo(12);
        }
        assertThat(CapacityPlanner.search(n -> n >= 1, 5, 100)).isEqualTo(1);
        assertThat(CapacityPlanner.search(n -> n >= 101, 5, 100)).as("out of reach").isEqualTo(-1);
        assertThat(CapacityPlanner.search(n -> n >= 100, 5, 100)).isEqualTo(100);
    }

    @Test
    void theAnswerIsTheLeastCountThatMeetsTheTargetAndGrowsWithTheRate() {
        Scenario steady = ScenarioParser.parse(STEADY, false);
        CapacityPlanner.Answer a = CapacityPlanner.plan(steady, WorkerKind.parse("w"), 100, 50,
                SimConfig.of("x", Map.of()), 1);
        assertThat(a.current()).isEqualTo(6);
        assertThat(a.arrivalsPerSecond()).isEqualTo(150.0);
        assertThat(a.needed()).as("a quarter busy: fewer will do").isBetween(2, 5);
        assertThat(a.chosen().passed()).isTrue();
        assertThat(a.chosen().p99WaitMs()).isLessThanOrEqualTo(100);
        assertThat(a.probes()).filteredOn(p -> p.workers() == a.needed() - 1).allMatch(p -> !p.passed());

        Scenario busier = ScenarioParser.parse(STEADY.replace("150/s", "450/s"), false);
        CapacityPlanner.Answer b = CapacityPlanner.plan(busier, WorkerKind.parse("w"), 100, 50,
                SimConfig.of("x", Map.of()), 1);
        assertThat(b.needed()).as("three times the rate").isGreaterThan(6);
        assertThat(CapacityReport.text(b, "steady")).startsWith("Capacity for kind w in steady: " + b.needed()
                + " workers (now 6) keep the p99 wait at or under 100 ms at 450.0 tasks/s.");
        assertThat(CapacityReport.json(b, "steady")).contains("\"needed\" : " + b.needed());
    }

    @Test
    void aKindByLabelsIsResizedWithItsEventsAndTheRestOfTheFleetKept() {
        Scenario s = TraceScenario.of(TraceReplayTest.trace(), "t");
        WorkerKind zone = WorkerKind.parse("zone=a");
        assertThat(zone.count(s)).isEqualTo(3);
        Scenario five = zone.resize(s, 5);
        assertThat(five.fleet()).singleElement().satisfies(g -> {
            assertThat(g.name()).isEqualTo("zone_a");
            assertThat(g.count()).isEqualTo(5);
            assertThat(g.capacity()).isEqualTo(2);
            assertThat(g.serviceTimes()).containsKeys("lookup", "resize");
            assertThat(((Distribution.Empirical) g.serviceTimes().get("lookup")).samplesMs().length)
                    .as("pooled from w1 and w2").isEqualTo(400);
        });
        assertThat(five.events()).as("only the control settings stay").allMatch(e -> e instanceof Scenario.Control);
        assertThat(Simulation.run(five, SimConfig.of("x", Map.of()), 1).completed()).isEqualTo(600);
        assertThatThrownBy(() -> WorkerKind.parse("zone=b").resize(s, 2)).isInstanceOf(ScenarioException.class)
                .hasMessageContaining("no worker of kind 'zone=b'");
        assertThatThrownBy(() -> WorkerKind.parse("zone=")).hasMessageContaining("key=value");
    }

    @Test
    void aGroupKeepsItsEventsAndOtherGroups() {
        Scenario s = ScenarioParser.parse(STEADY + "events:\n  - {at: 5s, kill: w-2}\n", false);
        Scenario three = WorkerKind.parse("w").resize(s, 3);
        assertThat(three.fleet()).extracting(Scenario.WorkerGroup::name, Scenario.WorkerGroup::count)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("w", 3), org.assertj.core.groups.Tuple.tuple("other", 1));
        assertThat(three.events()).hasSize(1);
    }
}
