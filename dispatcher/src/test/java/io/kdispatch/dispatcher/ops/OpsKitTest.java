package io.kdispatch.dispatcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.metrics.CapacityGauges;
import io.kdispatch.dispatcher.metrics.LagGauges;
import io.kdispatch.dispatcher.metrics.MicrometerDispatchMetrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The ops kit agrees with the code: alert rules and dashboard use only documented metrics, the documented
 * names are the ones the code registers, every alert has a runbook, and compose mounts files that exist.
 */
class OpsKitTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Set<String> PROMQL_WORDS = Set.of("and", "or", "unless", "by", "without", "bool", "offset",
            "on", "ignoring", "group_left", "group_right", "inf", "nan");

    /** Metric names in a PromQL expression: identifiers that are not functions, labels, durations or keywords. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"[^\"]*\"", "\"\"").replaceAll("\\{[^}]*}", " ").replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("\\b([a-zA-Z_:][a-zA-Z0-9_:]*)\\b(\\s*\\()?").matcher(s);
        while (m.find()) {
            if (m.group(2) == null && !PROMQL_WORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    private static Set<String> documented() throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z_:][a-z0-9_:]*)` \\|").matcher(Files.readString(ROOT.resolve("docs/METRICS.md")));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Every rule of every group in ops/prometheus/alerts.yml. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> alertRules() throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus/alerts.yml")));
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            rules.addAll((List<Map<String, Object>>) group.get("rules"));
        }
        return rules;
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dash = new ObjectMapper().readTree(ROOT.resolve("ops/grafana/dashboards/kdispatch.json").toFile());
        List<String> exprs = new ArrayList<>();
        dash.findValues("expr").forEach(e -> exprs.add(e.asText()));
        return exprs;
    }

    @Test
    void theExtractorFindsMetricsAndSkipsFunctionsLabelsAndKeywords() {
        assertThat(metricNames("sum by (reason) (rate(a_total{x=\"y\"}[5m])) > 0.1 and b or absent(up{job=\"j\"})"))
                .containsExactly("a_total", "b", "up");
    }

    @Test
    void alertRulesAreCompleteUseDocumentedMetricsAndHaveRunbooks() throws IOException {
        Set<String> documented = documented();
        List<Map<String, Object>> rules = alertRules();
        assertThat(rules).extracting(r -> r.get("alert")).contains("KdispatchIntakeLagGrowing",
                "KdispatchWorkerLagGrowing", "KdispatchDeadLetterRate", "KdispatchNoLiveWorkers",
                "KdispatchDispatcherDown", "KdispatchWorkerBreakerOpen");
        for (Map<String, Object> rule : rules) {
            String name = (String) rule.get("alert");
            assertThat(rule).as(name).containsKeys("expr", "for", "labels", "annotations");
            assertThat(documented).as(name + " uses only documented metrics")
                    .containsAll(metricNames((String) rule.get("expr")));
            @SuppressWarnings("unchecked")
            Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
            assertThat(annotations).containsKeys("summary", "runbook_url");
            Path runbook = ROOT.resolve(annotations.get("runbook_url"));
            assertThat(runbook).as(name).exists();
            assertThat(Files.readString(runbook)).contains("# " + name, "**Meaning.**", "**How to check.**",
                    "**What to do.**");
        }
    }

    @Test
    void dashboardUsesOnlyDocumentedMetricsAndCoversTheOperatorsQuestions() throws IOException {
        Set<String> documented = documented();
        List<String> exprs = dashboardExpressions();
        assertThat(exprs).isNotEmpty();
        Set<String> used = new LinkedHashSet<>();
        exprs.forEach(e -> used.addAll(metricNames(e)));
        assertThat(documented).containsAll(used);
        assertThat(used).contains("kdispatch_tasks_routed_total", "kdispatch_tasks_dead_lettered_total",
                "kdispatch_worker_lag_records", "kdispatch_intake_lag_records", "kdispatch_worker_liveness",
                "kdispatch_worker_breaker_open", "kdispatch_quota_in_flight", "kdispatch_quota_limit",
                "kdispatch_tasks_waiting", MicrometerDispatchMetrics.TENANT_WAIT.replace('.', '_') + "_seconds_bucket");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theKedaScaledObjectScalesOnTheDocumentedCapacityGauge() throws IOException {
        Map<String, Object> scaled = new Yaml().load(Files.readString(ROOT.resolve("ops/keda/scaledobject.yaml")));
        assertThat(scaled).containsEntry("kind", "ScaledObject");
        Map<String, Object> spec = (Map<String, Object>) scaled.get("spec");
        Map<String, Object> trigger = ((List<Map<String, Object>>) spec.get("triggers")).get(0);
        assertThat(trigger).containsEntry("type", "prometheus");
        Map<String, String> metadata = (Map<String, String>) trigger.get("metadata");
        assertThat(metricNames(metadata.get("query"))).containsExactly(CapacityGauges.WORKERS_NEEDED.replace('.', '_'));
        assertThat(documented()).contains(CapacityGauges.WORKERS_NEEDED.replace('.', '_'));
        assertThat(metadata).containsEntry("threshold", "1");
        assertThat(ROOT.resolve("ops/keda/README.md")).exists();
    }

    @Test
    void documentedNamesAreTheOnesTheCodeRegisters() throws IOException {
        Set<String> documented = documented();
        for (String counter : List.of(MicrometerDispatchMetrics.ROUTED, MicrometerDispatchMetrics.PARKED,
                MicrometerDispatchMetrics.DEAD_LETTERED, MicrometerDispatchMetrics.REDISPATCHED,
                MicrometerDispatchMetrics.RESULTS, MicrometerDispatchMetrics.STALE_RESULTS,
                MicrometerDispatchMetrics.REJECTED_HEARTBEATS)) {
            assertThat(documented).contains(counter.replace('.', '_') + "_total");
        }
        for (String gauge : List.of(LagGauges.WORKER_LAG, LagGauges.WORKER_OLDEST_AGE, LagGauges.INTAKE_LAG,
                MicrometerDispatchMetrics.WAITING, MicrometerDispatchMetrics.QUOTA_IN_FLIGHT,
                MicrometerDispatchMetrics.QUOTA_LIMIT)) {
            assertThat(documented).contains(gauge.replace('.', '_'));
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeMountsTheRulesAndGrafanaProvisioningAndPrometheusLoadsThem() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        Map<String, Map<String, Object>> services = (Map<String, Map<String, Object>>) compose.get("services");
        assertThat(services).containsKey("grafana");
        Map<String, String> mounts = new java.util.HashMap<>();
        for (String service : List.of("prometheus", "grafana")) {
            for (Object volume : (List<Object>) services.get(service).get("volumes")) {
                String[] parts = volume.toString().split(":");
                assertThat(ROOT.resolve(parts[0])).as(service + " mounts " + parts[0]).exists();
                mounts.put(parts[1], parts[0]);
            }
        }
        Map<String, Object> prometheus = new Yaml().load(Files.readString(ROOT.resolve("ops/prometheus/prometheus.yml")));
        // Prometheus resolves relative rule files against the directory of its config file.
        Path configDir = Path.of(mounts.entrySet().stream()
                .filter(e -> e.getValue().endsWith("ops/prometheus/prometheus.yml")).findFirst()
                .orElseThrow(() -> new AssertionError("prometheus.yml is not mounted")).getKey()).getParent();
        for (Object ruleFile : (List<Object>) prometheus.get("rule_files")) {
            String mounted = configDir.resolve(ruleFile.toString()).toString();
            assertThat(mounts).as("rule file " + ruleFile + " is mounted").containsKey(mounted);
            assertThat(mounts.get(mounted)).endsWith("ops/prometheus/alerts.yml");
        }
        assertThat(mounts).containsKeys("/etc/grafana/provisioning", "/var/lib/grafana/dashboards");
        Map<String, Object> datasources = new Yaml().load(Files.readString(
                ROOT.resolve("ops/grafana/provisioning/datasources/prometheus.yml")));
        assertThat(datasources.toString()).contains("http://prometheus:9090", "kdispatch-prometheus");
        assertThat(Files.readString(ROOT.resolve("ops/grafana/dashboards/kdispatch.json"))).contains("kdispatch-prometheus");
        Map<String, Object> providers = new Yaml().load(Files.readString(
                ROOT.resolve("ops/grafana/provisioning/dashboards/kdispatch.yml")));
        assertThat(providers.toString()).contains("/var/lib/grafana/dashboards");
        assertThat(ROOT.resolve("ops/keda/scaledobject-lag.yaml")).exists();
        assertThat(ROOT.resolve("ops/acl/README.md")).exists();
    }
}
