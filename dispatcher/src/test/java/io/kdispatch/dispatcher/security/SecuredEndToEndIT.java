package io.kdispatch.dispatcher.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.cli.Main;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.security.SecuredCluster.Installation;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dispatcher, a worker and submit on a SASL/SCRAM broker that enforces the ACL recipe, each as an
 * operator runs it and configured only through the documented options: {@code run --config} with
 * {@code streams.*} security settings, {@code worker --config} and {@code submit --config} with a plain
 * Kafka client properties file. Each authenticates as its own principal; the worker's may touch only its
 * own topic and group, heartbeats and results. The schema registry is the unauthenticated embedded one.
 */
@ExtendWith({SecuredClusterExtension.class, EmbeddedRegistryExtension.class})
class SecuredEndToEndIT {
    private static final int TASKS = 30;
    private static final String TOKEN = "secret-token";
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern REFUSED = Pattern.compile("AuthorizationException|authorization failed|Not authorized",
            Pattern.CASE_INSENSITIVE);

    @Test
    void tasksSubmittedThroughSaslCompleteOnAWorkerConfinedByTheRecipe(SecuredCluster cluster,
            EmbeddedRegistry registry, @TempDir Path dir) throws Exception {
        Installation installation = cluster.install(false); // the dispatcher creates the topics itself
        List<String> common = List.of("--bootstrap-servers", cluster.bootstrapServers(), "--schema-registry-url",
                registry.url(), "--topic-prefix", installation.topics().prefix());
        Path dispatcherConfig = dispatcherConfig(cluster, installation, dir);
        try (CliProcess dispatcher = CliProcess.start(dir, "dispatcher", args(List.of("run"), common,
                     List.of("--config", dispatcherConfig.toString(), "--admin-port", "0")));
             OutcomeTracker outcomes = new OutcomeTracker(cluster.bootstrapServers(), SerdeConfig.of(registry.url()),
                     installation.topics(), cluster.clientProperties(SecuredCluster.ADMIN))) {
            String adminUrl = dispatcher.awaitOutput("dispatcher running: .* admin=(http://\\S+)", START);
            try (CliProcess worker = CliProcess.start(dir, "worker", args(List.of("worker"), common, List.of("--id",
                    "w1", "--work-ms", "10", "--config", cluster.clientConfigFile(SecuredCluster.worker("w1"))
                            .toString())))) {
                worker.awaitOutput("worker w1 running", START);
                Set<String> ids = submit(cluster, common, dir);

                CliProcess.explainFailure(() -> {
                    await("every task ends").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                            .until(() -> outcomes.allEnded(ids));
                    assertRunTimeControlAndLagWork(adminUrl);
                }, dispatcher, worker);
                assertThat(outcomes.completed()).isEqualTo(TASKS);
                assertThat(outcomes.completedBy().values()).containsOnly("w1");
                assertThat(outcomes.deadLettered()).isEmpty();
                assertThat(worker.stop()).as("the worker drains on SIGTERM").isTrue();
                assertThat(REFUSED.matcher(worker.output()).find()).as(worker.output()).isFalse();
            }
            assertThat(dispatcher.stop()).as("the dispatcher stops on SIGTERM").isTrue();
            assertThat(REFUSED.matcher(dispatcher.output()).find()).as(dispatcher.output()).isFalse();
        }
    }

    /** The {@code run --config} file: names, the admin token, and SASL for every client as streams.*. */
    private static Path dispatcherConfig(SecuredCluster cluster, Installation installation, Path dir)
            throws Exception {
        StringBuilder text = new StringBuilder()
                .append("application.id=").append(installation.applicationId()).append('\n')
                .append("state.dir=").append(dir.resolve("state")).append('\n')
                .append("admin.token=").append(TOKEN).append('\n');
        cluster.clientProperties(SecuredCluster.DISPATCHER)
                .forEach((k, v) -> text.append("streams.").append(k).append('=').append(v).append('\n'));
        return Files.writeString(dir.resolve("dispatcher.properties"), text);
    }

    /** {@code submit --config} in this JVM (it ends by itself), as the submitter principal. */
    private static Set<String> submit(SecuredCluster cluster, List<String> common, Path dir) throws Exception {
        Set<String> ids = new LinkedHashSet<>();
        StringBuilder lines = new StringBuilder();
        for (int i = 0; i < TASKS; i++) {
            ids.add("sec-" + i);
            lines.append("{\"id\":\"sec-").append(i).append("\",\"type\":\"echo\",\"payload\":\"p").append(i)
                    .append("\"}\n");
        }
        Path tasks = Files.writeString(dir.resolve("tasks.jsonl"), lines);
        int status = Main.execute(args(List.of("submit"), common, List.of("--config",
                cluster.clientConfigFile(SecuredCluster.SUBMITTER).toString(), "--file", tasks.toString()))
                .toArray(String[]::new));
        assertThat(status).as("submit's exit status").isZero();
        return ids;
    }

    /**
     * The dispatcher's other clients authenticate too: a PUT /config goes through the control producer and
     * comes back through the control topic's global store, and the lag monitor (admin client and
     * assign-only consumer) publishes the worker's lag.
     */
    private static void assertRunTimeControlAndLagWork(String adminUrl) throws Exception {
        assertThat(put(adminUrl + "/config", "{\"key\":\"routing.strategy\",\"value\":\"least-loaded\"}"))
                .as("PUT /config").isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        await("the setting comes back through the control topic").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonNode config = json.readTree(get(adminUrl + "/config"));
            return "least-loaded".equals(config.path("overrides").path("routing.strategy").asText());
        });
        await("the lag monitor publishes w1's lag").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> get(adminUrl + "/metrics").contains("kdispatch_worker_lag_records{worker=\"w1\""));
    }

    private static String get(String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        try (InputStream in = c.getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int put(String url, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Bearer " + TOKEN);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            if (in != null) {
                in.readAllBytes();
            }
        }
        return status;
    }

    @SafeVarargs
    private static List<String> args(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> part : parts) {
            all.addAll(part);
        }
        return all;
    }
}
