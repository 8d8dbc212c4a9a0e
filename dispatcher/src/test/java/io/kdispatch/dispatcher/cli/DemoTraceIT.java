package io.kdispatch.dispatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.simulate.ReportScreenshot;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12's acceptance on a trace recorded from the demo: {@code demo --record} writes the run of the real
 * dispatcher and SDK workers on the embedded broker, and {@code simulate --trace} replays it under two
 * strategies beside the recorded column: the table, the JSON and the HTML report, whose charts render in
 * headless Chromium (that last check is skipped, saying why, where Chromium is absent).
 */
class DemoTraceIT {
    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int simulate(String... args) {
        out.getBuffer().setLength(0);
        return cli.run(args);
    }

    @Test
    void aTraceOfTheDemoReplaysBesideWhatItRecorded(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("demo.jsonl");
        Path summary = dir.resolve("s.json");
        assertThat(Main.execute("demo", "--duration", "12s", "--workers", "3", "--rate", "150", "--work-ms", "40",
                "--summary-json", summary.toString(), "--record", trace.toString())).isZero();
        JsonNode demo = new ObjectMapper().readTree(Files.readString(summary));
        assertThat(Files.readAllLines(trace).get(0)).startsWith("{\"trace\":1,");

        String[] compare = {"simulate", "--trace", trace.toString(), "--compare", "strategy=consistent-hash,least-loaded"};
        assertThat(simulate(compare)).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("Scenario trace demo.jsonl: 3 workers")
                .contains("recorded", "consistent-hash", "least-loaded", "consistent-hash vs recorded: p99 wait",
                        "demo-worker-3");

        assertThat(simulate(concat(compare, "--json"))).as(err.toString()).isZero();
        JsonNode configs = new ObjectMapper().readTree(out.toString()).get("configurations");
        JsonNode recorded = configs.get(0);
        assertThat(recorded.get("label").asText()).isEqualTo("recorded");
        assertThat(recorded.get("arrived").asLong()).as("every task the demo submitted")
                .isEqualTo(demo.get("submitted").asLong());
        assertThat(recorded.get("completed").asLong()).isEqualTo(demo.get("completed").asLong());
        for (int i = 1; i <= 2; i++) {
            JsonNode sim = configs.get(i);
            assertThat(sim.get("arrived").asLong()).isEqualTo(recorded.get("arrived").asLong());
            assertThat(sim.get("completed").asLong()).as(sim.get("label").asText())
                    .isGreaterThan(recorded.get("arrived").asLong() * 95 / 100);
            JsonNode crashed = sim.get("utilisation").get("series").get("demo-worker-3");
            assertThat(crashed.get(crashed.size() - 1).asDouble()).as("demo-worker-3 crashed in the recording")
                    .isZero();
        }

        Path report = dir.resolve("demo.html");
        assertThat(simulate(concat(compare, "--report", report.toString()))).as(err.toString()).isZero();
        assertThat(Files.readString(report)).contains("<svg", "recorded");
        Path chromium = ReportScreenshot.requireChromium();
        java.awt.image.BufferedImage shot = ReportScreenshot.take(chromium, report, dir);
        String keep = System.getProperty("kdispatch.keep.report");
        if (keep != null) {
            Files.copy(report, Path.of(keep + ".html"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            javax.imageio.ImageIO.write(shot, "png", Path.of(keep + ".png").toFile());
        }
        ReportScreenshot.assertChartsRendered(shot, 3, 400); // the trace starts 1 s before the first task
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
