package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.security.CliProcess;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.SubmitClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failover in seconds: two dispatcher processes share the work; one is killed with SIGKILL (its group
 * membership and its open transaction left behind, as in a crash) and a task submitted to every intake
 * partition right after the kill must complete within {@link #FAILOVER_BOUND}, with the product's default
 * settings. Then the killed instance restarts on its state directory and must run again.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class FailoverIT {
    /** The stated bound (README, operations): session timeout 6 s, transaction timeout 5 s, a rebalance. */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);
    private static final Duration START = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void everyPartitionOfAKilledInstanceDispatchesAgainWithinTheBound(EmbeddedKafka kafka, EmbeddedRegistry registry,
                                                                     @TempDir Path dir) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            try (CliProcess a = dispatcher(stack, dir, "a"); CliProcess b = dispatcher(stack, dir, "b")) {
                String adminA = a.awaitOutput("dispatcher running: .* admin=(http://\\S+)", START);
                String adminB = b.awaitOutput("dispatcher running: .* admin=(http://\\S+)", START);
                stack.worker("w1", 1_000, ctx -> ctx.payload());
                OutcomeTracker outcomes = stack.outcomes();
                SubmitClient submitter = stack.submitter();
                CliProcess.explainFailure(() -> bothInstancesDispatch(submitter, outcomes, stack.partitions,
                        adminA, adminB), a, b);

                a.kill();
                long killed = System.nanoTime();
                Set<String> probes = submitPerPartition(submitter, "probe", stack.partitions);
                CliProcess.explainFailure(() -> await("a task on every partition after the kill")
                        .atMost(FAILOVER_BOUND).pollInterval(Duration.ofMillis(100))
                        .until(() -> outcomes.allEnded(probes)), b);
                Duration failover = Duration.ofNanos(System.nanoTime() - killed);

                long restarted = System.nanoTime();
                try (CliProcess again = dispatcher(stack, dir, "a")) {
                    again.awaitOutput("dispatcher running: .* admin=(http://\\S+)", START);
                    Duration rejoin = Duration.ofNanos(System.nanoTime() - restarted);
                    Set<String> after = submitPerPartition(submitter, "after", stack.partitions);
                    await().atMost(FAILOVER_BOUND).until(() -> outcomes.allEnded(after));
                    System.out.printf("failover: every partition dispatching %d ms after SIGKILL; the restarted "
                            + "instance running %d ms after its start%n", failover.toMillis(), rejoin.toMillis());
                }
                assertThat(outcomes.deadLettered()).isEmpty();
            }
        }
    }

    /** Feeds every partition until both instances have routed tasks: each holds some of the partitions. */
    private static void bothInstancesDispatch(SubmitClient submitter, OutcomeTracker outcomes, int partitions,
                                              String adminA, String adminB) {
        int[] round = {0};
        await("both instances routing").atMost(START).pollInterval(Duration.ofMillis(500)).until(() -> {
            Set<String> ids = submitPerPartition(submitter, "warm-" + round[0]++, partitions);
            await().atMost(START).until(() -> outcomes.allEnded(ids));
            return routed(adminA) > 0 && routed(adminB) > 0;
        });
    }

    private static CliProcess dispatcher(Stack stack, Path dir, String name) throws Exception {
        Path config = Files.writeString(dir.resolve(name + ".properties"), "application.id=" + stack.topics.prefix()
                + "-dispatcher\nstate.dir=" + dir.resolve("state-" + name) + "\n");
        return CliProcess.start(dir, name + "-" + System.nanoTime(), List.of("run", "--bootstrap-servers",
                stack.bootstrapServers, "--schema-registry-url", stack.serdes.registryUrl(), "--topic-prefix",
                stack.topics.prefix(), "--config", config.toString(), "--admin-port", "0"));
    }

    /** One task on each intake partition (the submit client places a task on its routing key's partition). */
    private static Set<String> submitPerPartition(SubmitClient submitter, String prefix, int partitions)
            throws Exception {
        Set<String> ids = new HashSet<>();
        List<Integer> missing = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            missing.add(p);
        }
        for (int i = 0; !missing.isEmpty(); i++) {
            String id = prefix + "-" + i;
            if (missing.remove(Integer.valueOf(RoutingKeys.partitionOf(id, partitions)))) {
                ids.add(id);
                submitter.submit(Task.newBuilder().setId(id).setType("failover")
                        .setPayload(ByteBuffer.wrap(new byte[] {1})).build()).get();
            }
        }
        return ids;
    }

    /** Tasks the instance behind {@code adminUrl} has routed, from its Prometheus metrics. */
    private static double routed(String adminUrl) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(adminUrl + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(l -> l.startsWith("kdispatch_tasks_routed_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
