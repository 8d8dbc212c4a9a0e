package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import java.util.Set;
import static io.kdispatch.dispatcher.e2e.AdminCalls.cli;
import static io.kdispatch.dispatcher.e2e.AdminCalls.get;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.control.ControlClient;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.TaskHandler;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Run-time reconfiguration on a running dispatcher: the CLI refuses invalid values before they reach the
 * control topic, and accepted ones (a strategy change, a drain) show in the dispatcher's own view of its
 * settings ({@code GET /config}, {@code GET /workers}) without a restart; {@code PUT /config} needs the
 * bearer token.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class ControlIT {
    private static final String TOKEN = "s3cret-token";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @Test
    void settingsReachARunningDispatcherAndInvalidOnesNeverReachTheTopic(EmbeddedKafka kafka,
                                                                           EmbeddedRegistry registry) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            AdminCalls.awaitTopics(stack);
            DispatcherService service = stack.track(new DispatcherService(stack.config(), "127.0.0.1", 0));
            service.enableConfigWrites(TOKEN);
            service.start();
            assertThat(service.awaitRunning(Duration.ofSeconds(60))).isTrue();
            TaskHandler echo = ctx -> ctx.payload();
            stack.worker("w1", 2, echo);
            stack.worker("w2", 2, echo);
            String[] cluster = {"--bootstrap-servers", stack.bootstrapServers, "--schema-registry-url",
                    registry.url(), "--topic-prefix", stack.topics.prefix()};
            ControlClient reader = stack.track(new ControlClient(stack.bootstrapServers, stack.serdes, stack.topics));

            AdminCalls.Cli refused = cli(cluster, "config", "set", "routing.prefetch=3", "routing.strategy=fastest");
            assertThat(refused.status()).isEqualTo(2);
            assertThat(refused.err()).contains("invalid value 'fastest' for routing.strategy")
                    .contains("valid: consistent-hash, least-loaded");
            assertThat(cli(cluster, "workers", "drain", "not a worker").status()).isEqualTo(2);
            assertThat(reader.commands()).as("nothing written, not even the valid pair").isEmpty();

            assertThat(cli(cluster, "config", "set", "routing.strategy=least-loaded", "--by", "alice").status())
                    .isZero();
            await().atMost(DEADLINE).untilAsserted(() -> assertThat(
                    get(service, "/config").at("/routing/strategy").asText()).isEqualTo("least-loaded"));
            assertThat(reader.commands().get("routing.strategy").getIssuedBy()).isEqualTo("alice");
            OutcomeTracker outcomes = stack.outcomes();
            Set<String> afterSwitch = new java.util.HashSet<>();
            var switchSubmitter = stack.submitter();
            for (int i = 0; i < 10; i++) {
                afterSwitch.add("t-" + i);
                switchSubmitter.submit(io.kdispatch.schemas.Task.newBuilder().setId("t-" + i).setType("c").build());
            }
            switchSubmitter.flush();
            await().atMost(DEADLINE).until(() -> outcomes.allEnded(afterSwitch));
            assertThat(get(service, "/tasks/t-3").get("strategy").asText())
                    .as("the new strategy decides, without a restart").isEqualTo("least-loaded");

            assertThat(cli(cluster, "workers", "drain", "w2").status()).isZero();
            await().atMost(DEADLINE).untilAsserted(() -> {
                assertThat(get(service, "/config").get("draining").toString()).isEqualTo("[\"w2\"]");
                JsonNode workers = get(service, "/workers").get("workers");
                assertThat(workers).hasSize(2);
                assertThat(workers.get(0).get("workerId").asText()).isEqualTo("w1");
                assertThat(workers.get(0).get("control").asText()).isEqualTo("active");
                assertThat(workers.get(1).get("control").asText()).isEqualTo("draining");
                assertThat(workers.get(1).get("capacity").asInt()).isEqualTo(2);
                assertThat(workers.get(1).get("liveness").asText()).isEqualTo("READY");
            });
            Set<String> afterDrain = new java.util.HashSet<>();
            var submitter = stack.submitter();
            for (int i = 0; i < 30; i++) {
                String id = "after-drain-" + i;
                afterDrain.add(id);
                submitter.submit(io.kdispatch.schemas.Task.newBuilder().setId(id).setType("c").build());
            }
            submitter.flush();
            await().atMost(DEADLINE).until(() -> outcomes.allEnded(afterDrain));
            assertThat(stack.executions.byWorker("w2")).as("a drained worker gets nothing new")
                    .noneMatch(e -> e.taskId().startsWith("after-drain-"));

            AdminCalls.Cli get = cli(cluster, "config", "get", "routing.strategy", "routing.prefetch");
            assertThat(get.out().lines()).containsExactly("routing.strategy=least-loaded", "routing.prefetch=");
            AdminCalls.Cli list = cli(cluster, "workers", "list");
            assertThat(list.status()).isZero();
            assertThat(list.out().lines().filter(l -> l.startsWith("w2 ")).findFirst().orElseThrow())
                    .contains("draining").contains("READY");

            assertThat(put(service, null, "{\"key\":\"routing.prefetch\",\"value\":\"4\"}")).isEqualTo(401);
            assertThat(put(service, TOKEN, "{\"key\":\"routing.prefetch\",\"value\":\"-4\"}")).isEqualTo(400);
            assertThat(put(service, TOKEN, "{\"key\":\"worker.w2.state\",\"value\":null}")).isEqualTo(200);
            assertThat(put(service, TOKEN, "{\"key\":\"routing.prefetch\",\"value\":\"4\"}")).isEqualTo(200);
            await().atMost(DEADLINE).untilAsserted(() -> {
                JsonNode config = get(service, "/config");
                assertThat(config.at("/routing/prefetch").asInt()).isEqualTo(4);
                assertThat(config.get("draining")).isEmpty();
            });
            assertThat(reader.settings()).containsOnlyKeys("routing.strategy", "routing.prefetch");
        }
    }

    private static int put(DispatcherService service, String token, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(service.adminUrl() + "/config").toURL().openConnection();
        c.setRequestMethod("PUT");
        c.setDoOutput(true);
        if (token != null) {
            c.setRequestProperty("Authorization", "Bearer " + token);
        }
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
}
