package io.kdispatch.dispatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.simulate.TraceFile;
import io.kdispatch.dispatcher.simulate.TraceReplayTest;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code simulate} end to end on a shipped example scenario: the table, {@code --json} and {@code --report}. */
class SimulateCommandTest {
    private static final String EXAMPLE = Path.of("..", "docs", "scenarios", "worker-death.yaml").toString();

    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void printsATableAndWritesAnHtmlReport(@TempDir Path dir) throws Exception {
        Path report = dir.resolve("report.html");
        assertThat(run("simulate", "--scenario", EXAMPLE, "--compare", "strategy=consistent-hash,least-loaded",
                "--report", report.toString())).as(err.toString()).isZero();
        String table = out.toString();
        assertThat(table).startsWith("Scenario worker-death: 10 workers")
                .contains("consistent-hash", "least-loaded", "wait p50 / p99 / p999 ms", "utilisation spread",
                        "affinity keys moved", "tasks parked", "breaker trips", "dead letters", "worker-lost",
                        "Verdict:", "least-loaded vs consistent-hash: p99 wait");
        String html = Files.readString(report);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "Wait-time distribution",
                "Utilisation over time per worker").doesNotContain("<script", "src=", "href=", "@import");
    }

    @Test
    void printsJsonThatTheSameSeedRepeats() throws Exception {
        assertThat(run("simulate", "--scenario", EXAMPLE, "--seed", "9", "--json")).as(err.toString()).isZero();
        String first = out.toString();
        JsonNode json = new ObjectMapper().readTree(first);
        assertThat(json.get("seed").asLong()).isEqualTo(9);
        JsonNode config = json.get("configurations").get(0);
        assertThat(config.get("completed").asLong()).isEqualTo(config.get("arrived").asLong()).isPositive();
        assertThat(config.get("waitMs").has("p999")).isTrue();
        assertThat(config.get("utilisation").get("perWorker").size()).isEqualTo(10);
        out.getBuffer().setLength(0);
        assertThat(run("simulate", "--scenario", EXAMPLE, "--seed", "9", "--json")).isZero();
        assertThat(out.toString()).isEqualTo(first);
    }

    @Test
    void capacityAnswersHowManyWorkersOfAKindKeepTheP99WaitUnderATarget() throws Exception {
        assertThat(run("simulate", "capacity", "--scenario", EXAMPLE, "--kind", "w", "--p99-wait", "50ms"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Capacity for kind w in worker-death: ").contains("(now 10)",
                "keep the p99 wait at or under 50 ms", "p99 wait ms  unfinished  passes");
        out.getBuffer().setLength(0);
        assertThat(run("simulate", "capacity", "--scenario", EXAMPLE, "--kind", "w", "--p99-wait", "50ms", "--json"))
                .isZero();
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("needed").asInt()).isBetween(4, 10);
        assertThat(json.get("current").asInt()).isEqualTo(10);
        assertThat(run("simulate", "capacity", "--scenario", EXAMPLE, "--kind", "gpu", "--p99-wait", "50ms"))
                .isEqualTo(2);
        assertThat(err.toString()).contains("no worker of kind 'gpu'");
        assertThat(run("simulate", "capacity", "--scenario", EXAMPLE, "--kind", "w", "--p99-wait", "0ms",
                "--max-workers", "3")).as("even 3 do not do").isEqualTo(1);
    }

    @Test
    void aTraceFileReplaysBesideItsRecordedColumn(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("t.jsonl");
        try (var w = Files.newBufferedWriter(trace)) {
            TraceFile.write(TraceReplayTest.trace(), w);
        }
        assertThat(run("simulate", "--trace", trace.toString(), "--compare", "strategy=consistent-hash,least-loaded"))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Scenario trace t.jsonl: 3 workers")
                .contains("recorded", "completed per worker", "consistent-hash vs recorded:");
        out.getBuffer().setLength(0);
        assertThat(run("simulate", "--trace", trace.toString(), "--json")).isZero();
        JsonNode configs = new ObjectMapper().readTree(out.toString()).get("configurations");
        assertThat(configs.get(0).get("label").asText()).isEqualTo("recorded");
        assertThat(configs.get(0).get("breakerTrips").isNull()).as("not in a trace").isTrue();
        assertThat(configs.get(1).get("arrived").asInt()).isEqualTo(600);
        assertThat(run("simulate")).as("no source").isEqualTo(2);
        assertThat(err.toString()).contains("give --scenario FILE, --trace FILE or --from-cluster");
        assertThat(run("simulate", "record", "--from-time", "yesterday", "--to-time", "now", "--out", "x",
                "--bootstrap-servers", "localhost:1", "--schema-registry-url", "http://localhost:1")).isEqualTo(2);
        assertThat(err.toString()).contains("invalid --from-time 'yesterday'");
    }

    @Test
    void aBadScenarioOrCompareIsAUsageError(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, "duration: 10s\nfleet: [{name: w, capacity: 0}]\n");
        assertThat(run("simulate", "--scenario", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).startsWith("error: scenario bad.yaml: fleet[0].capacity: must be a whole number");
        assertThat(run("simulate", "--scenario", EXAMPLE, "--compare", "strategy=fastest")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown routing strategy 'fastest'");
    }
}
