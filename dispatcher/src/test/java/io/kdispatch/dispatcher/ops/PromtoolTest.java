package io.kdispatch.dispatcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Prometheus kit checked by Prometheus's own tool: {@code promtool check config} on the compose config,
 * {@code promtool check rules} on the alert rules, and {@code promtool test rules} on the unit tests in
 * {@code ops/prometheus/tests/} (one file per alert). These are skipped, with the reason, where promtool is
 * not on the PATH ({@code .ci/run} installs it). The coverage test needs no promtool and always runs, so a
 * new alert without a unit test fails the build everywhere.
 */
class PromtoolTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path PROMETHEUS = ROOT.resolve("ops/prometheus");
    private static final Path TESTS = PROMETHEUS.resolve("tests");
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    @Test
    void theComposePrometheusConfigPassesCheckConfig() throws Exception {
        // check config also loads every rule file the config names, relative to the config's directory.
        promtool("check", "config", PROMETHEUS.resolve("prometheus.yml").toString());
    }

    @Test
    void theAlertRulesPassCheckRules() throws Exception {
        promtool("check", "rules", PROMETHEUS.resolve("alerts.yml").toString());
    }

    @Test
    void theAlertUnitTestsPass() throws Exception {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        unitTestFiles().forEach(f -> args.add(f.toString()));
        promtool(args.toArray(String[]::new));
    }

    @Test
    void everyAlertHasAUnitTestThatFiresItAndOneThatDoesNot() throws IOException {
        Set<String> alerts = new TreeSet<>();
        OpsKitTest.alertRules().forEach(rule -> alerts.add((String) rule.get("alert")));
        Set<String> fired = new TreeSet<>();
        Set<String> quiet = new TreeSet<>();
        for (Path file : unitTestFiles()) {
            for (Map<String, Object> check : alertChecks(file)) {
                List<?> expected = (List<?>) check.get("exp_alerts");
                (expected == null || expected.isEmpty() ? quiet : fired).add((String) check.get("alertname"));
            }
        }
        assertThat(fired).as("alerts with a promtool test case where they fire").containsAll(alerts);
        assertThat(quiet).as("alerts with a promtool test case where they stay quiet").containsAll(alerts);
        assertThat(alerts).as("alerts tested but not defined in alerts.yml").containsAll(fired);
    }

    private static void promtool(String... args) throws Exception {
        Path promtool = ExternalTool.require("promtool");
        ExternalTool.Outcome outcome = ExternalTool.run(ROOT, TIMEOUT, promtool, List.of(args));
        assertThat(outcome.exitCode()).as("promtool %s exit status; output:%n%s", String.join(" ", args),
                outcome.output()).isZero();
    }

    private static List<Path> unitTestFiles() throws IOException {
        try (Stream<Path> files = Files.list(TESTS)) {
            List<Path> tests = files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
            assertThat(tests).as("promtool unit tests in " + TESTS).isNotEmpty();
            return tests;
        }
    }

    /** The {@code alert_rule_test} entries of every test group in one promtool unit test file. */
    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> alertChecks(Path file) throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(file));
        List<Map<String, Object>> checks = new ArrayList<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) doc.get("tests")) {
            checks.addAll((List<Map<String, Object>>) test.getOrDefault("alert_rule_test", List.of()));
        }
        return checks;
    }
}
