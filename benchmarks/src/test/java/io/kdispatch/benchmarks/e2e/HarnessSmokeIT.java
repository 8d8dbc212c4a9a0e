package io.kdispatch.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness, every phase, at tiny sizes, on a real broker and registry with child-process
 * dispatchers and workers: it must finish, measure something in every phase, profile the window it
 * was asked to, and write its JSON. The figures themselves are not judged here (a smoke test on a
 * loaded CI machine says nothing about speed); the benchmark runs in the issue notes do that.
 */
class HarnessSmokeIT {
    @TempDir
    Path runDir;

    @Test
    void everyPhaseRunsAndReports() throws Exception {
        // The byte copies read 600 x 20 records: a read_committed counter sees whole transactions at once,
        // so with few records one commit could hold all of them and leave nothing for the window. The
        // warm-up ends at the first output record for the same reason.
        HarnessOptions options = new HarnessOptions(600, 20, 3,
                new RateWindow(Duration.ofSeconds(1), 0.0, Duration.ofSeconds(2), Duration.ofSeconds(120)),
                1, 50, new HarnessOptions.ShortTasks(2, 2, 5), 0, List.of(2), List.of(10), Set.of(), "dispatch",
                Map.of(), List.of(), runDir);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        boolean ok = new Harness(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(output).isTrue();
        JsonNode json = new ObjectMapper().readTree(runDir.resolve("e2e.json").toFile());
        List<String> names = new ArrayList<>();
        json.get("phases").forEach(p -> names.add(p.get("name").asText()));
        assertThat(names).containsExactly("baseline-eos", "baseline-alos", "dispatch", "full-loop", "latency",
                "short-tasks", "instances-2", "fleet-10", "baseline-eos-again");
        for (JsonNode phase : json.get("phases")) {
            if (phase.get("name").asText().equals("latency")) {
                assertThat(phase.at("/latency/intake->result/count").asLong()).as(output).isPositive();
                assertThat(phase.at("/latency/intake->worker/count").asLong()).as(output).isPositive();
            } else {
                assertThat(phase.get("ratePerSecond").asDouble()).as(phase.toString()).isPositive();
                assertThat(phase.get("cpuMicrosPerRecord").asDouble()).as(phase.toString()).isPositive();
            }
        }
        assertThat(json.at("/phases/2/ratioToBaseline").asDouble()).isPositive();
        assertThat(json.at("/phases/5/utilisation").asDouble()).isPositive();
        JsonNode profile = json.at("/profiles/0");
        assertThat(profile.get("samples").asLong()).as(output).isPositive();
        assertThat(profile.get("places").size()).isPositive();
        assertThat(Files.exists(runDir.resolve("dispatch-dispatcher-1.collapsed.txt"))).isTrue();
        assertThat(output).contains("where the CPU goes");
    }

    @Test
    void inFlightPhaseHoldsEveryTaskAndARestartRestoresThem() throws Exception {
        HarnessOptions options = new HarnessOptions(3_000, 1, 3,
                new RateWindow(Duration.ofSeconds(1), 0.0, Duration.ofSeconds(2), Duration.ofSeconds(120)),
                1, 50, new HarnessOptions.ShortTasks(2, 2, 5), 0, List.of(2), List.of(10), Set.of("in-flight"), null,
                Map.of(), List.of(), runDir);
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        boolean ok = new Harness(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String output = printed.toString(StandardCharsets.UTF_8);
        assertThat(ok).as(output).isTrue();
        JsonNode phase = new ObjectMapper().readTree(runDir.resolve("e2e.json").toFile()).at("/phases/0");
        assertThat(phase.get("name").asText()).isEqualTo("in-flight");
        assertThat(phase.get("windowRecords").asLong()).as(output).isEqualTo(3_000); // distinct tasks re-dispatched
        assertThat(output).contains("restarted on an empty state directory");
    }
}
