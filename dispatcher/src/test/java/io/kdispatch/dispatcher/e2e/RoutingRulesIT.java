package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.cli.Main;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.schemas.LabelOperator;
import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.Task;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Routing rules hold with two dispatcher instances sharing six partitions: hard label requirements,
 * affinity keys and anti-affinity groups, checked against what the workers actually ran and when; and
 * either instance explains any task, routed or parked.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class RoutingRulesIT {
    private static final Map<String, Map<String, String>> WORKERS = Map.of(
            "w1", Map.of("gpu", "true", "zone", "a"),
            "w2", Map.of("gpu", "true", "zone", "b"),
            "w3", Map.of("zone", "a"),
            "w4", Map.of("zone", "b"),
            "w5", Map.of("zone", "c", "ssd", "true"));

    /** One execution as the worker saw it: who ran it and when (nanoTime). */
    record Run(String worker, long start, long end) {
    }

    @Test
    void noRuleIsBrokenWithTwoInstancesAndEitherExplainsAnyTask(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            DispatcherService one = stack.service();
            DispatcherService two = stack.service();
            Map<String, List<Run>> runs = new ConcurrentHashMap<>();
            for (var w : WORKERS.entrySet()) {
                TaskHandler handler = ctx -> {
                    long start = System.nanoTime();
                    SimulatedWork.take(5 + (ctx.taskId().hashCode() & 7)); // so group members overlap
                    runs.computeIfAbsent(ctx.taskId(), k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                            .add(new Run(w.getKey(), start, System.nanoTime()));
                    return ctx.payload();
                };
                stack.worker(w.getKey(), 3, w.getValue(), handler);
            }
            OutcomeTracker outcomes = stack.outcomes();
            List<Task> tasks = tasks();
            Set<String> ids = new HashSet<>();
            tasks.forEach(t -> ids.add(t.getId()));
            submit(stack.submitter(), tasks);
            submit(stack.submitter(), List.of(Task.newBuilder().setId("needs-tpu").setType("x")
                    .setRequiredLabels(Map.of("tpu", "v5")).build()));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> outcomes.allEnded(ids));
            assertThat(outcomes.completed()).isEqualTo(ids.size());
            for (Task t : tasks) {
                List<Run> ranAs = runs.get(t.getId());
                assertThat(ranAs).as(t.getId()).hasSize(1);
                Map<String, String> labels = WORKERS.get(ranAs.get(0).worker());
                t.getRequiredLabels().forEach((k, v) -> assertThat(labels).as(t.getId()).containsEntry(k, v));
                for (LabelRequirement r : t.getLabelRequirements()) {
                    assertThat(r.getValues()).as(t.getId() + " on " + ranAs.get(0).worker())
                            .doesNotContain(labels.get(r.getKey()));
                }
            }
            assertNoGroupSharedAWorkerAtOnce(tasks, runs);

            for (DispatcherService asked : List.of(one, two)) {
                JsonNode routed = explain(asked, "t-7");
                assertThat(routed.get("outcome").asText()).isEqualTo("ASSIGNED");
                assertThat(routed.get("workerId").asText()).isEqualTo(runs.get("t-7").get(0).worker());
                JsonNode parked = explain(asked, "needs-tpu");
                assertThat(parked.get("outcome").asText()).isEqualTo("PARKED");
                assertThat(parked.get("excluded").size()).isEqualTo(5);
                parked.get("excluded").forEach(why -> assertThat(why.asText()).contains("tpu=v5"));
            }
            assertThat(Main.execute("explain", "t-7", "--admin-url", two.adminUrl())).isZero();
            assertThat(Main.execute("explain", "needs-tpu", "--admin-url", one.adminUrl())).isZero();
            assertThat(Main.execute("explain", "no-such-task", "--admin-url", one.adminUrl())).isEqualTo(1);
        }
    }

    private static List<Task> tasks() {
        List<Task> tasks = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Task.Builder t = Task.newBuilder().setId("t-" + i).setType("mixed")
                    .setPayload(ByteBuffer.wrap(new byte[] {(byte) i}));
            switch (i % 4) {
                case 0 -> t.setRequiredLabels(Map.of("gpu", "true")).setAffinityKey("model-" + (i % 7));
                case 1 -> t.setAntiAffinityGroup("job-" + (i % 30));
                case 2 -> t.setAffinityKey("customer-" + (i % 20)).setLabelRequirements(List.of(
                        new LabelRequirement("zone", LabelOperator.NOT_IN, List.of("a"))));
                default -> t.setRequiredLabels(Map.of("zone", "a")).setAntiAffinityGroup("pair-" + (i % 50));
            }
            tasks.add(t.build());
        }
        return tasks;
    }

    private static void assertNoGroupSharedAWorkerAtOnce(List<Task> tasks, Map<String, List<Run>> runs) {
        Map<String, List<Run>> byGroup = new java.util.HashMap<>();
        for (Task t : tasks) {
            if (t.getAntiAffinityGroup() != null) {
                byGroup.computeIfAbsent(t.getAntiAffinityGroup(), g -> new ArrayList<>()).addAll(runs.get(t.getId()));
            }
        }
        byGroup.forEach((group, members) -> {
            for (int a = 0; a < members.size(); a++) {
                for (int b = a + 1; b < members.size(); b++) {
                    Run x = members.get(a);
                    Run y = members.get(b);
                    boolean overlap = x.start() < y.end() && y.start() < x.end();
                    assertThat(overlap && x.worker().equals(y.worker()))
                            .as("two members of %s ran on %s at once", group, x.worker()).isFalse();
                }
            }
        });
    }

    private static void submit(SubmitClient client, List<Task> tasks) throws Exception {
        List<CompletableFuture<?>> sent = new ArrayList<>();
        for (Task t : tasks) {
            sent.add(client.submit(t));
        }
        client.flush();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    }

    private static JsonNode explain(DispatcherService service, String taskId) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(service.adminUrl() + "/tasks/" + taskId).toURL()
                .openConnection();
        assertThat(c.getResponseCode()).as("GET /tasks/%s from %s", taskId, service.adminUrl()).isEqualTo(200);
        try (InputStream in = c.getInputStream()) {
            return new ObjectMapper().readTree(in);
        }
    }
}
