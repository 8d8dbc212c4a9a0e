package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.schemas.Task;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker *process* killed with SIGKILL while it has tasks in flight: every task completes elsewhere,
 * and the dispatcher stops sending it tasks within the dead-after time plus one second.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class WorkerCrashIT {

    @Test
    void aKilledWorkerProcessLosesNoTaskAndStopsGettingWorkWithinDeadAfterPlusOneSecond(
            EmbeddedKafka kafka, EmbeddedRegistry registry, @TempDir Path dir) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.dispatcher(DispatchMetrics.NOOP);
            stack.worker("steady-1", 8, ctx -> ctx.payload());
            stack.worker("steady-2", 8, ctx -> ctx.payload());
            Path victimOut = dir.resolve("victim.out");
            Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.kdispatch.dispatcher.cli.Main", "worker",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", registry.url(),
                    "--topic-prefix", stack.topics.prefix(), "--id", "victim", "--capacity", "4",
                    "--work-ms", "300")
                    .redirectOutput(victimOut.toFile()).redirectError(dir.resolve("victim.err").toFile()).start();
            try {
                OutcomeTracker outcomes = stack.outcomes();
                SubmitClient client = stack.submitter();
                Set<String> ids = new HashSet<>();
                int seq = 0;
                while (executions(victimOut) < 3) {
                    seq = submitBatch(client, ids, seq, 10);
                    pace(200); // paces the producer; the loop condition is what it waits for
                    assertThat(seq).as("the victim process never ran a task").isLessThan(2_000);
                }
                victim.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                long killedAt = System.currentTimeMillis();
                long until = killedAt + 8_000;
                while (System.currentTimeMillis() < until) {
                    seq = submitBatch(client, ids, seq, 10);
                    pace(100); // paces the producer: about 100 tasks a second while the victim dies
                }

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                        .until(() -> outcomes.allEnded(ids));
                assertThat(outcomes.completed()).as("none lost").isEqualTo(ids.size());
                long lastSent = lastAssignmentTimestamp(stack, "victim");
                long stoppedAfter = lastSent - killedAt;
                System.out.printf("victim killed; last task sent to it %d ms after the kill%n", stoppedAfter);
                assertThat(stoppedAfter).isLessThanOrEqualTo(LivenessPolicy.DEFAULT_DEAD_AFTER.toMillis() + 1_000);
            } finally {
                victim.destroyForcibly();
            }
        }
    }

    /** Execution lines the worker printed; its stdout carries its log lines too (the test logging configuration). */
    private static long executions(Path out) throws IOException {
        return Files.readAllLines(out).stream().filter(line -> line.contains("\"event\":\"executed\"")).count();
    }

    private static void pace(long millis) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(millis));
    }

    private static int submitBatch(SubmitClient client, Set<String> ids, int seq, int n) throws Exception {
        for (int i = 0; i < n; i++) {
            String id = "k-" + (seq++);
            ids.add(id);
            client.submit(Task.newBuilder().setId(id).setType("crash").setPayload(ByteBuffer.wrap(new byte[] {1}))
                    .build());
        }
        client.flush();
        return seq;
    }

    private static long lastAssignmentTimestamp(Stack stack, String worker) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "inspect-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(stack.topics.workerTopic(worker)));
            long[] last = {0};
            int[] idle = {0};
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                var records = consumer.poll(Duration.ofMillis(300));
                for (ConsumerRecord<String, byte[]> r : records) {
                    last[0] = Math.max(last[0], r.timestamp());
                }
                idle[0] = records.isEmpty() ? idle[0] + 1 : 0;
                return idle[0] >= 3 && last[0] > 0;
            });
            return last[0];
        }
    }
}
