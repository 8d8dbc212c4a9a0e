package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.control.ControlClient;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.testing.PublicTopicScan;
import io.kdispatch.sdk.SubmitClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every record on a public topic (tasks, results, the worker topic, heartbeats, dead letters,
 * decisions, control) keeps its numbers within what JSON and JavaScript hold exactly, so clients
 * outside Java (Confluent's JavaScript deserializer refuses a long beyond ±(2^53 - 2)) can read
 * them. The records come from a real run: the submit client, the dispatcher, an SDK worker and the
 * control client, with a success, a failure dead-lettered after its one attempt, a parked task, a
 * malformed intake record and a setting change; each topic is read back with the writer schemas.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class PublicRecordsIT {

    @Test
    void everyRecordOnAPublicTopicKeepsItsNumbersJsonSafe(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.dispatcher(DispatchMetrics.NOOP);
            stack.worker("w1", 2, ctx -> {
                if (ctx.type().equals("fail")) {
                    throw new IllegalStateException("fails on purpose");
                }
                return ctx.payload();
            });
            OutcomeTracker outcomes = stack.outcomes();
            stack.track(new ControlClient(stack.bootstrapServers, stack.serdes, stack.topics))
                    .set("routing.prefetch", "3", "public-records-it");
            SubmitClient submit = stack.submitter();
            submit.submit(task("ok-1").setAffinityKey("k").setPriority(7).build());
            submit.submit(task("ok-2").setAntiAffinityGroup("g").build());
            submit.submit(task("fails").setType("fail").setMaxAttempts(1).build());
            submit.submit(task("parked").setRequiredLabels(Map.of("gpu", "true")).build());
            submit.flush();
            writeGarbage(stack);

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(Set.of("ok-1", "ok-2", "fails"))
                    && outcomes.deadLettered().containsAll(Set.of("fails", "garbage")));
            AtomicReference<PublicTopicScan.Report> last = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                last.set(PublicTopicScan.scan(stack.bootstrapServers, stack.serdes, publicTopics(stack.topics)));
                return count(last.get(), RoutingExplanation.class) >= 4; // the parked task's too
            });
            PublicTopicScan.Report report = last.get();

            assertThat(report.violations()).as("numbers beyond ±(2^53 - 2)").isEmpty();
            assertThat(report.undecodable()).as("only the garbage written on purpose").singleElement()
                    .asString().startsWith(stack.topics.tasks() + "@").endsWith(" garbage");
            assertThat(count(report, Task.class)).isEqualTo(4);
            assertThat(count(report, TaskAssignment.class)).isGreaterThanOrEqualTo(3);
            assertThat(count(report, TaskResult.class)).isGreaterThanOrEqualTo(3);
            assertThat(count(report, WorkerHeartbeat.class)).isPositive();
            assertThat(count(report, DeadLetter.class)).isEqualTo(2);
            assertThat(count(report, ControlCommand.class)).isEqualTo(1);
        }
    }

    private static Task.Builder task(String id) {
        return Task.newBuilder().setId(id).setType("echo").setDeadline(Instant.now().plusSeconds(3600))
                .setPayload(ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8))).setHeaders(Map.of("trace", id));
    }

    private static void writeGarbage(Stack stack) throws Exception {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(stack.topics.tasks(), "garbage", new byte[] {9, 9, 9})).get();
        }
    }

    private static List<String> publicTopics(Topics topics) {
        return List.of(topics.tasks(), topics.results(), topics.workerTopic("w1"), topics.heartbeats(),
                topics.deadLetters(), topics.decisions(), topics.control());
    }

    private static int count(PublicTopicScan.Report report, Class<?> type) {
        return report.count(type.getName());
    }
}
