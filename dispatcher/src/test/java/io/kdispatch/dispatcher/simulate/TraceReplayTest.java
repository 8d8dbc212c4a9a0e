package io.kdispatch.dispatcher.simulate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A trace (here made by hand: three workers, one joining late and one falling silent, one failing for a
 * while) survives the file format, becomes the scenario it describes, and replays beside its recorded column.
 */
public class TraceReplayTest {
    private static final long T0 = 1_750_000_000_000L;

    /** 30 s: w1 and w2 from the start, w3 from 10 s, w2 silent from 20 s, w1 failing 10-15 s; 20 tasks/s. */
    public static Trace trace() {
        List<Trace.Heartbeat> beats = new ArrayList<>();
        for (long t = 0; t <= 30_000; t += 1_000) {
            beats.add(beat(t, "w1"));
            if (t < 20_000) {
                beats.add(beat(t + 300, "w2"));
            }
            if (t >= 10_000) {
                beats.add(beat(t + 600, "w3"));
            }
        }
        beats.sort(java.util.Comparator.comparingLong(Trace.Heartbeat::atMs));
        List<Trace.Submitted> tasks = new ArrayList<>();
        List<Trace.Result> results = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            long at = T0 + i * 50L;
            String id = "task-" + i;
            tasks.add(new Trace.Submitted(at, i % 3 == 0 ? "resize" : "lookup", new Scenario.TaskSpec(id, i % 5,
                    i % 7 == 0 ? Map.of("zone", "a") : Map.of(), List.of(), Map.of(), "key-" + (i % 10), null, 3, null)));
            String worker = i % 2 == 0 || at - T0 >= 20_000 ? "w1" : "w2";
            boolean fails = worker.equals("w1") && at - T0 >= 10_000 && at - T0 < 15_000;
            results.add(new Trace.Result(at + 25, id, worker, 1, 1, fails ? "FAILED" : "SUCCEEDED", at + 5, 20));
        }
        return new Trace("test", T0, T0 + 30_000, 1, tasks, beats, results, List.of(),
                List.of(new Trace.Control(T0 - 5_000, "routing.strategy", "least-loaded")));
    }

    private static Trace.Heartbeat beat(long t, String worker) {
        return new Trace.Heartbeat(T0 + t, worker, 7, "READY", 2, Map.of("zone", "a"), 1.0, 100, 1_000, 0, 0);
    }

    @Test
    void theFileFormatKeepsEveryRecord(@TempDir Path dir) throws Exception {
        Trace t = trace();
        StringWriter out = new StringWriter();
        TraceFile.write(t, out);
        Path file = Files.writeString(dir.resolve("t.jsonl"), out.toString());
        Trace back = TraceFile.read(file);
        assertThat(back).isEqualTo(t);
        assertThat(out.toString().lines().findFirst().orElseThrow()).startsWith("{\"trace\":1,\"source\":\"test\"");
    }

    @Test
    void aBadLineIsNamed(@TempDir Path dir) throws Exception {
        StringWriter out = new StringWriter();
        TraceFile.write(trace(), out);
        List<String> lines = new ArrayList<>(out.toString().lines().toList());
        lines.set(3, "{\"at\":1,\"heartbeat\":{\"worker\":\"bad id!\",\"incarnation\":1,\"capacity\":2}}");
        Path file = Files.write(dir.resolve("bad.jsonl"), lines);
        assertThatThrownBy(() -> TraceFile.read(file)).isInstanceOf(ScenarioException.class)
                .hasMessageStartingWith("trace bad.jsonl: line 4: heartbeat.worker: worker ID 'bad id!' must match");
        Files.writeString(file, "{\"trace\":9}\n");
        assertThatThrownBy(() -> TraceFile.read(file)).hasMessageContaining("line 1: trace: format 9");
    }

    @Test
    void theScenarioHasTheRecordedTasksFleetAndLives() {
        Scenario s = TraceScenario.of(trace(), "t");
        assertThat(s.fleet()).extracting(Scenario.WorkerGroup::name).containsExactly("w1", "w2", "w3");
        assertThat(s.fleet().get(0).workerId(1)).isEqualTo("w1");
        assertThat(s.fleet().get(0).capacity()).isEqualTo(2);
        assertThat(s.fleet().get(0).serviceTimes()).containsKeys("lookup", "resize");
        assertThat(s.arrivals().recorded()).hasSize(600);
        assertThat(s.arrivals().recorded().get(7).task().requires()).containsEntry("zone", "a");
        assertThat(s.dispatcher()).containsEntry("topic.partitions", "1");
        assertThat(s.events()).anyMatch(e -> e instanceof Scenario.Join j && j.atMs() == 10_600
                && j.workers().ids().equals(List.of("w3")));
        assertThat(s.events()).anyMatch(e -> e instanceof Scenario.Kill k && k.workers().ids().equals(List.of("w2"))
                && k.atMs() == 20_300);
        assertThat(s.events()).anyMatch(e -> e instanceof Scenario.Control c && c.atMs() == 0
                && "least-loaded".equals(c.settings().get("routing.strategy")));
        assertThat(s.events()).anyMatch(e -> e instanceof Scenario.Degrade d && d.workers().ids().equals(List.of("w1"))
                && d.failureRate() == 1.0);
    }

    @Test
    void theReplayRunsBesideTheRecordedColumn() {
        Trace t = trace();
        Scenario s = TraceScenario.of(t, "t");
        Comparison c = RecordedResult.compare(t, s, Comparison.run(s, Comparison.configs(List.of()), 1).results(), 1);
        SimResult recorded = c.results().get(0);
        SimResult replay = c.results().get(1);
        assertThat(recorded.label()).isEqualTo("recorded");
        assertThat(recorded.recorded()).isTrue();
        assertThat(recorded.arrived()).isEqualTo(600);
        assertThat(recorded.completed()).isEqualTo(600 - 50);
        assertThat(SimResult.percentile(recorded.waits(), 0.5)).isEqualTo(5);
        assertThat(replay.arrived()).isEqualTo(600);
        assertThat(replay.completed() + replay.deadLettered() + replay.unfinished()).isEqualTo(600);
        assertThat(replay.utilisation().get("w3")).as("w3 joined at 10 s and took work").isPositive();
        assertThat(replay.series().get("w3")[0]).as("w3 was absent at the start").isZero();
        assertThat(replay.series().get("w2")[replay.series().get("w2").length - 1]).as("w2 dead at the end").isZero();
        assertThat(TextReport.render(c)).contains("recorded", "scenario settings", "breaker trips");
        assertThat(JsonReport.render(c)).contains("\"recorded\" : true", "\"breakerTrips\" : null");
    }
}
