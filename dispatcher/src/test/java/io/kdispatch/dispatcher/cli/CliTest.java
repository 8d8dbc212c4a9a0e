package io.kdispatch.dispatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.schemas.Task;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CliTest {
    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "dev-cluster", "run", "worker", "submit", "tail", "topics", "explain", "simulate"})
    void everySubcommandHasHelp(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("Usage: dispatcher " + command);
    }

    @Test
    void aWrongFlagGivesOneLineAndExitStatusTwo() {
        assertThat(run("demo", "--no-such-flag")).isEqualTo(2);
        assertThat(err.toString().strip().lines()).hasSize(1);
        assertThat(err.toString()).startsWith("error: Unknown option: '--no-such-flag'");
        assertThat(run("worker", "--bootstrap-servers", "x:1")).isEqualTo(2);
        assertThat(run("demo", "--duration", "soon")).isEqualTo(2);
        assertThat(run("worker", "--bootstrap-servers", "x:1", "--schema-registry-url", "mock://cli", "--id", "w1",
                "--shutdown-timeout", "0")).as("a zero shutdown bound is refused").isEqualTo(2);
    }

    @Test
    void durationsReadTheWayOperatorsWriteThem() {
        DurationConverter c = new DurationConverter();
        assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(c.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.convert("PT2S")).isEqualTo(Duration.ofSeconds(2));
        assertThat(c.convert("0")).as("--wait-timeout 0 fails at once").isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> c.convert("soon")).hasMessageContaining("not a duration");
    }

    @Test
    void aJsonLineBecomesATaskWithEveryRoutingHint() {
        Task t = TaskJson.parse("{\"id\":\"t-1\",\"type\":\"echo\",\"payload\":\"hi\",\"priority\":5,"
                + "\"require\":{\"gpu\":\"true\"},\"prefer\":{\"zone\":\"a\"},\"affinityKey\":\"c-7\","
                + "\"antiAffinityGroup\":\"job-3\",\"maxAttempts\":3,\"deadline\":\"2026-12-01T00:00:00Z\","
                + "\"headers\":{\"trace\":\"abc\"}}");
        assertThat(t.getId()).isEqualTo("t-1");
        assertThat(t.getType()).isEqualTo("echo");
        assertThat(StandardCharsets.UTF_8.decode(t.getPayload()).toString()).isEqualTo("hi");
        assertThat(t.getPriority()).isEqualTo(5);
        assertThat(t.getRequiredLabels()).isEqualTo(Map.of("gpu", "true"));
        assertThat(t.getPreferredLabels()).isEqualTo(Map.of("zone", "a"));
        assertThat(t.getAffinityKey()).isEqualTo("c-7");
        assertThat(t.getAntiAffinityGroup()).isEqualTo("job-3");
        assertThat(t.getMaxAttempts()).isEqualTo(3);
        assertThat(t.getDeadline()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(t.getHeaders()).isEqualTo(Map.of("trace", "abc"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json|not valid JSON",
        "[1,2]|expected a JSON object",
        "{\"type\":\"x\"}|missing required field 'id'",
        "{\"id\":\"a\",\"type\":\"x\",\"priorty\":1}|unknown field 'priorty'",
        "{\"id\":\"a\",\"type\":\"x\",\"priority\":\"high\"}|must be a 32-bit integer",
        "{\"id\":\"a\",\"type\":\"x\",\"deadline\":\"tomorrow\"}|not an ISO-8601 instant",
        "{\"id\":\"a\",\"type\":\"x\",\"require\":{\"gpu\":true}}|require.gpu' must be a string"})
    void aBadJsonLineIsRefusedWithAReason(String caseAndMessage) {
        String[] parts = caseAndMessage.split("\\|");
        assertThatThrownBy(() -> TaskJson.parse(parts[0])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(parts[1]);
    }
}
