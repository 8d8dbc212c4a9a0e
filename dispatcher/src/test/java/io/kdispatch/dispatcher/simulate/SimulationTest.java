package io.kdispatch.dispatcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SimulationTest {
    /** Four workers of 2 slots at about 40% load; w-2 dies at 5 s and stays dead. */
    private static final String DEATH = """
            name: death
            duration: 20s
            dispatcher: {topic.partitions: 1}
            fleet:
              - {name: w, count: 4, capacity: 2}
            tasks:
              - {name: t, serviceTime: {dist: exponential, mean: 20ms}, keys: {count: 50, skew: zipf}}
            arrivals:
              rate: 160/s
            events:
              - {at: 5s, kill: w-2}
            """;

    private static Comparison run(String yaml, long seed, String... compare) {
        return Comparison.run(ScenarioParser.parse(yaml, false), Comparison.configs(List.of(compare)), seed);
    }

    @Test
    void theSameSeedGivesByteIdenticalOutput() {
        String first = JsonReport.render(run(DEATH, 5, "strategy=consistent-hash,least-loaded"));
        String second = JsonReport.render(run(DEATH, 5, "strategy=consistent-hash,least-loaded"));
        assertThat(second).isEqualTo(first);
        Comparison again = run(DEATH, 5, "strategy=consistent-hash,least-loaded");
        assertThat(TextReport.render(again)).isEqualTo(TextReport.render(run(DEATH, 5,
                "strategy=consistent-hash,least-loaded")));
        assertThat(HtmlReport.render(again)).isEqualTo(HtmlReport.render(run(DEATH, 5,
                "strategy=consistent-hash,least-loaded")));
        assertThat(JsonReport.render(run(DEATH, 6, "strategy=consistent-hash,least-loaded")))
                .as("another seed, other arrivals").isNotEqualTo(first);
    }

    @Test
    void aDeadWorkersTasksAreDispatchedAgainAndEveryTaskCompletes() {
        SimResult r = run(DEATH, 1).results().get(0);
        assertThat(r.arrived()).isBetween(2_900L, 3_500L);
        assertThat(r.redispatched()).as("what w-2 held when it died").containsKey("worker-lost");
        assertThat(r.redispatched().get("worker-lost")).isPositive();
        assertThat(r.completed()).as("capacity suffices: nothing is lost").isEqualTo(r.arrived());
        assertThat(r.unfinished()).isZero();
        assertThat(r.deadLettered()).isZero();
        assertThat(r.parkReasons().keySet()).noneMatch(reason -> reason.contains("DEAD") && !reason.contains("full"));
        assertThat(r.utilisation().get("w-2")).as("dead after a quarter of the run")
                .isLessThan(r.utilisation().get("w-1") / 2);
        assertThat(SimResult.percentile(r.endToEnd(), 0.999)).as("the lost tasks waited for the death to be seen")
                .isGreaterThan(4_000);
        assertThat(SimResult.percentile(r.waits(), 0.5)).isLessThan(50);
    }

    @Test
    void aFailingWorkerTripsItsBreakerAndTasksThatFailEverywhereAreDeadLettered() {
        String yaml = DEATH.replace("- {at: 5s, kill: w-2}", "- {at: 2s, degrade: {workers: w-3, failureRate: 1.0}}");
        SimResult r = run(yaml, 1).results().get(0);
        assertThat(r.breakerTrips()).isPositive();
        assertThat(r.redispatched()).containsKey("failed");
        assertThat(r.completed() + r.deadLettered() + r.unfinished()).isEqualTo(r.arrived());

        String hopeless = DEATH.replace("- {at: 5s, kill: w-2}", "- {at: 2s, degrade: {workers: {}, failureRate: 1.0}}");
        SimResult all = run(hopeless, 1).results().get(0);
        assertThat(all.deadLetters()).containsKey("MAX_ATTEMPTS");
    }

    @Test
    void aDrainAndAStrategyChangeGoThroughTheControlSettings() {
        String yaml = DEATH.replace("- {at: 5s, kill: w-2}", """
                - {at: 5s, drain: w-1}
                  - {at: 8s, set: {routing.strategy: least-loaded}}""");
        SimResult r = run(yaml, 1).results().get(0);
        assertThat(r.completed()).isEqualTo(r.arrived());
        assertThat(r.series().get("w-1")[r.series().get("w-1").length - 1]).as("no new tasks after the drain")
                .isZero();
        assertThatThrownBy(() -> run(DEATH, 1, "routing.bounded.load.factor=0.5"))
                .hasMessageContaining("routing.bounded.load.factor");
    }

    @Test
    void aWorkerThatJoinsLateIsAbsentUntilThenAndWorksAfter() {
        SimResult r = run(DEATH.replace("- {at: 5s, kill: w-2}", "- {at: 10s, join: w-4}"), 1).results().get(0);
        double[] w4 = r.series().get("w-4");
        assertThat(w4[0]).as("absent at the start").isZero();
        assertThat(w4[9]).as("absent until 10 s").isZero();
        assertThat(w4[w4.length - 1]).as("working after it joined").isPositive();
        assertThat(r.completed()).isEqualTo(r.arrived());
    }

    @Test
    void theVerdictNamesWhatChanged() {
        Comparison c = run(DEATH, 2, "strategy=consistent-hash,least-loaded");
        assertThat(Verdict.lines(c)).singleElement().asString().startsWith("least-loaded vs consistent-hash: p99 wait");
        assertThat(Verdict.lines(run(DEATH, 2))).singleElement().asString().contains("completed");
    }
}
