package io.kdispatch.dispatcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScenarioParserTest {
    static final Path SHIPPED = Path.of("..", "docs", "scenarios");

    private static final String VALID = """
            name: tiny
            duration: 10s
            fleet:
              - {name: w, count: 3, capacity: 2, labels: {zone: a}}
            tasks:
              - {name: t, serviceTime: 10ms}
            arrivals:
              rate: 50/s
            events:
              - {at: 5s, kill: w-2}
            """;

    @Test
    void everyShippedScenarioParses() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.list(SHIPPED)) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(3);
        for (Path f : files) {
            Scenario s = ScenarioParser.read(f);
            assertThat(s.workerCount()).as(f.toString()).isPositive();
            assertThat(s.taskTypes()).as(f.toString()).isNotEmpty();
        }
    }

    @Test
    void readsEveryPartOfAScenario() {
        Scenario s = ScenarioParser.read(SHIPPED.resolve("zone-drain.yaml"));
        assertThat(s.durationMs()).isEqualTo(120_000);
        assertThat(s.fleet()).extracting(Scenario.WorkerGroup::name).containsExactly("a", "b");
        assertThat(s.fleet().get(1).labels()).containsEntry("gpu", "true");
        assertThat(s.taskTypes().get(1).requires()).containsEntry("gpu", "true");
        assertThat(s.taskTypes().get(0).serviceTime()).isEqualTo(new Distribution.Exponential(40));
        assertThat(s.arrivals().bursts()).containsExactly(new Scenario.Burst(90_000, 3_000, 600));
        assertThat(s.events()).hasSize(3);
        assertThat(s.events().get(1)).isInstanceOf(Scenario.Control.class);
        assertThat(((Scenario.Control) s.events().get(1)).settings()).containsEntry("routing.strategy", "least-loaded");
    }

    @Test
    void jsonReadsLikeYaml(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("tiny.json");
        Files.writeString(json, """
                {"name": "tiny", "duration": "10s",
                 "fleet": [{"name": "w", "count": 3, "capacity": 2}],
                 "tasks": [{"name": "t", "serviceTime": {"dist": "fixed", "ms": "10ms"}}],
                 "arrivals": {"rate": 50}}
                """);
        Scenario s = ScenarioParser.read(json);
        assertThat(s.workerCount()).isEqualTo(3);
        assertThat(s.arrivals().rate().get(0).perSecond()).isEqualTo(50);
        assertThat(s.taskTypes().get(0).serviceTime()).isEqualTo(new Distribution.Fixed(10));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "capacity: 2|capacity: -3|fleet[0].capacity: must be a whole number from 1 to 100000, was '-3'",
        "capacity: 2|capactiy: 2|fleet[0]: unknown key 'capactiy'; known keys: capacity, count,",
        "duration: 10s|duration: 10|duration: must be a duration with a unit (e.g. 250ms, 30s, 2m, 1h), was '10'",
        "duration: 10s|length: 10s|unknown key 'length'",
        "kill: w-2|kill: w-9|events[0].kill: no worker 'w-9' in the fleet",
        "kill: w-2|drain: {zone: z}|events[0].drain: matches no worker of the fleet",
        "kill: w-2|set: {routing.strategy: fastest}|events[0].set.routing.strategy: invalid value 'fastest'",
        "kill: w-2|set: {bootstrap.servers: x}|on the control topic: it can only be set at start-up",
        "rate: 50/s|rate: fast|arrivals.rate: must be a rate such as 200/s",
        "serviceTime: 10ms|serviceTime: {dist: gamma}|tasks[0].serviceTime.dist: must be fixed, exponential",
        "at: 5s, kill|at: 5s, kill: w-1, restart|events[0]: needs exactly one action",
    })
    void aBadScenarioGetsAnErrorThatSaysWhereAndWhat(String from, String to, String message) {
        String text = VALID.replace(from, to);
        assertThat(text).isNotEqualTo(VALID);
        assertThatThrownBy(() -> ScenarioParser.parse(text, false))
                .isInstanceOf(ScenarioException.class)
                .hasMessageContaining(message);
    }

    @Test
    void aFileThatIsNoScenarioIsRefusedWithItsName(@TempDir Path dir) throws Exception {
        Path yaml = dir.resolve("broken.yaml");
        Files.writeString(yaml, "fleet: [unclosed\n");
        assertThatThrownBy(() -> ScenarioParser.read(yaml)).hasMessageStartingWith("scenario broken.yaml: not valid YAML");
        Path list = dir.resolve("list.yaml");
        Files.writeString(list, "- just\n- a list\n");
        assertThatThrownBy(() -> ScenarioParser.read(list)).hasMessageContaining("must be a map");
        assertThatThrownBy(() -> ScenarioParser.read(dir.resolve("missing.yaml"))).hasMessageStartingWith(
                "cannot read scenario");
        Path noFleet = dir.resolve("nofleet.yaml");
        Files.writeString(noFleet, "duration: 1s\ntasks: [{name: t, serviceTime: 1ms}]\narrivals: {rate: 1}\n");
        assertThatThrownBy(() -> ScenarioParser.read(noFleet)).hasMessage(
                "scenario nofleet.yaml: 'fleet' is required");
    }

    @Test
    void compareArgumentsBecomeEveryCombination() {
        List<SimConfig> configs = Comparison.configs(List.of("strategy=consistent-hash,least-loaded",
                "routing.bounded.load.factor=1.1"));
        assertThat(configs).extracting(SimConfig::label).containsExactly("consistent-hash", "least-loaded");
        assertThat(configs.get(1).settings()).containsEntry("routing.strategy", "least-loaded")
                .containsEntry("routing.bounded.load.factor", "1.1");
        assertThat(Comparison.configs(List.of())).extracting(SimConfig::label).containsExactly("scenario settings");
        assertThatThrownBy(() -> Comparison.configs(List.of("speed=fast"))).hasMessageContaining(
                "unknown setting 'speed'");
        assertThatThrownBy(() -> Comparison.configs(List.of("strategy"))).hasMessageContaining("key=value");
        assertThatThrownBy(() -> Comparison.configs(List.of("bootstrap.servers=x:1"))).hasMessageContaining(
                "means nothing in a simulation");
    }
}
