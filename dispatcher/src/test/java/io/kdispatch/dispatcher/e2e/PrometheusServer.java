package io.kdispatch.dispatcher.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;
import org.yaml.snakeyaml.Yaml;

/**
 * A real {@code prometheus} server as a child process on loopback, for one test: a free port, its own
 * temporary directory (config, rules, TSDB, log), and the project's scrape config and alert rules with
 * only what a test must change: the target, shorter intervals, and a short {@code for:} on every alert so
 * that it fires within seconds. Closing it stops the process and deletes the directory.
 */
final class PrometheusServer implements AutoCloseable {
    private static final Path OPS = Path.of("..", "ops", "prometheus");
    private static final Pattern FOR = Pattern.compile("(?m)^(\\s+for:\\s*)\\S+\\s*$");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path dir;
    private final Process process;
    private final String url;

    private PrometheusServer(Path dir, Process process, String url) {
        this.dir = dir;
        this.process = process;
        this.url = url;
    }

    /**
     * Starts {@code binary} scraping {@code target} (host:port) every {@code interval}, evaluating the rules
     * as often, with every alert's {@code for:} set to {@code alertFor}; returns once it reports ready.
     */
    static PrometheusServer start(Path binary, String target, Duration interval, Duration alertFor)
            throws IOException {
        Path dir = Files.createTempDirectory("kdispatch-prometheus");
        writeRules(dir.resolve("alerts.yml"), alertFor);
        writeConfig(dir.resolve("prometheus.yml"), target, interval);
        int port = freePort();
        Process process = new ProcessBuilder(binary.toString(), "--config.file=prometheus.yml",
                "--storage.tsdb.path=data", "--web.listen-address=127.0.0.1:" + port)
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        PrometheusServer server = new PrometheusServer(dir, process, "http://127.0.0.1:" + port);
        try {
            await("prometheus ready").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(IOException.class).until(server::ready);
            return server;
        } catch (ConditionTimeoutException e) {
            String log = server.log();
            server.close();
            throw new AssertionError("prometheus not ready after 30 s; its log:\n" + log, e);
        } catch (Throwable e) {
            // Awaitility rethrows a checked exception from the condition unwrapped: stop the process anyway.
            server.close();
            throw e;
        }
    }

    /** The project's rules with a short {@code for:}: the expressions under test are unchanged. */
    private static void writeRules(Path file, Duration alertFor) throws IOException {
        Matcher m = FOR.matcher(Files.readString(OPS.resolve("alerts.yml")));
        StringBuilder rules = new StringBuilder();
        int replaced = 0;
        while (m.find()) {
            m.appendReplacement(rules, Matcher.quoteReplacement(m.group(1) + alertFor.toMillis() + "ms"));
            replaced++;
        }
        m.appendTail(rules);
        if (replaced == 0) {
            throw new IllegalStateException("no 'for:' found in alerts.yml; the rewrite needs updating");
        }
        Files.writeString(file, rules);
    }

    /** The compose config, whose relative {@code rule_files} entry now names the copy next to it. */
    @SuppressWarnings("unchecked")
    private static void writeConfig(Path file, String target, Duration interval) throws IOException {
        Map<String, Object> config = new Yaml().load(Files.readString(OPS.resolve("prometheus.yml")));
        Map<String, Object> global = (Map<String, Object>) config.get("global");
        global.put("scrape_interval", interval.toMillis() + "ms");
        global.put("evaluation_interval", interval.toMillis() + "ms");
        for (Map<String, Object> job : (List<Map<String, Object>>) config.get("scrape_configs")) {
            job.put("static_configs", List.of(Map.of("targets", List.of(target))));
        }
        Files.writeString(file, new Yaml().dump(config));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private boolean ready() throws IOException {
        if (!process.isAlive()) {
            throw new AssertionError("prometheus exited with status " + process.exitValue() + ":\n" + log());
        }
        HttpURLConnection connection = open("/-/ready");
        try {
            return connection.getResponseCode() == 200;
        } finally {
            connection.disconnect();
        }
    }

    /** The health ({@code up}, {@code down}, {@code unknown}) of the active targets of {@code job}. */
    List<String> targetHealth(String job) throws IOException {
        List<String> health = new ArrayList<>();
        for (JsonNode target : get("/api/v1/targets").path("data").path("activeTargets")) {
            if (job.equals(target.path("labels").path("job").asText())) {
                health.add(target.path("health").asText());
            }
        }
        return health;
    }

    /** The state of alert {@code name}: {@code pending} or {@code firing} when active, else {@code inactive}. */
    String alertState(String name) throws IOException {
        for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
            if (name.equals(alert.path("labels").path("alertname").asText())) {
                return alert.path("state").asText();
            }
        }
        return "inactive";
    }

    /** The sample values of an instant query, one per series of the result. */
    List<Double> query(String promql) throws IOException {
        List<Double> values = new ArrayList<>();
        String q = URLEncoder.encode(promql, StandardCharsets.UTF_8);
        for (JsonNode series : get("/api/v1/query?query=" + q).path("data").path("result")) {
            values.add(Double.parseDouble(series.path("value").path(1).asText()));
        }
        return values;
    }

    private JsonNode get(String path) throws IOException {
        HttpURLConnection connection = open(path);
        try (InputStream in = connection.getInputStream()) {
            return JSON.readTree(in);
        } finally {
            connection.disconnect();
        }
    }

    private HttpURLConnection open(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url + path).toURL().openConnection();
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(5_000);
        return connection;
    }

    /** What the server has logged so far, for failure messages. */
    String log() {
        try {
            return Files.readString(dir.resolve("prometheus.log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the server (SIGTERM, then SIGKILL after 20 s) and deletes its directory. */
    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
