package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.cli.Main;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.replay.ReplayHeaders;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Dead-lettered tasks are replayed from the dead-letter topic once the cause is fixed: each runs again as a
 * fresh task and completes exactly once; a dry run afterwards counts them without writing anything.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class ReplayIT {

    @Test
    void deadLettersAreReplayedOnceEachAndCompleteAndADryRunWritesNothing(EmbeddedKafka kafka,
                                                                         EmbeddedRegistry registry) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.dispatcher(DispatchMetrics.NOOP);
            AtomicBoolean broken = new AtomicBoolean(true);
            TaskHandler handler = ctx -> {
                if (broken.get() && "fail".equals(new String(ctx.payload(), StandardCharsets.UTF_8))) {
                    throw new IllegalStateException("fails until fixed");
                }
                return ctx.payload();
            };
            stack.worker("w1", 4, handler);
            stack.worker("w2", 4, handler);
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient submitter = stack.submitter();
            Set<String> bad = submit(submitter, "bad-", 5, "fail");
            Set<String> good = submit(submitter, "good-", 20, "ok");
            await().atMost(Duration.ofSeconds(90)).until(() -> outcomes.deadLettered().containsAll(bad)
                    && outcomes.completedBy().keySet().containsAll(good));
            assertThat(outcomes.completedBy().keySet()).doesNotContainAnyElementsOf(bad);

            broken.set(false);
            String[] base = {"replay", "--bootstrap-servers", kafka.bootstrapServers(),
                    "--schema-registry-url", registry.url(), "--topic-prefix", stack.topics.prefix(), "--from", "dlq"};
            StringWriter out = new StringWriter();
            int code = Main.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(new StringWriter()))
                    .execute(base);
            assertThat(code).as(out.toString()).isZero();
            assertThat(out.toString()).contains("replayed 5", "skipped-unreadable 0", "duplicates 0");

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.completedBy().keySet().containsAll(bad));
            for (String id : bad) {
                assertThat(stack.executions.byTask(id).stream().filter(e -> e.status() == ResultStatus.SUCCEEDED))
                        .as(id).hasSize(1);
            }
            assertThat(outcomes.duplicateResults()).isZero();
            List<ConsumerRecord<String, byte[]>> replays = replayedIntakeRecords(stack);
            assertThat(replays).extracting(ConsumerRecord::key).containsExactlyInAnyOrderElementsOf(bad);
            assertThat(replays).allSatisfy(r -> {
                assertThat(header(r, ReplayHeaders.SOURCE_TOPIC)).isEqualTo(stack.topics.deadLetters());
                assertThat(header(r, ReplayHeaders.SOURCE_PARTITION)).matches("\\d+");
                assertThat(header(r, ReplayHeaders.SOURCE_OFFSET)).matches("\\d+");
            });

            long intakeBefore = intakeEnd(stack);
            StringWriter dry = new StringWriter();
            List<String> dryArgs = new ArrayList<>(List.of(base));
            dryArgs.addAll(List.of("--dry-run", "--filter", "reason=max_attempts"));
            code = Main.commandLine().setOut(new PrintWriter(dry)).setErr(new PrintWriter(new StringWriter()))
                    .execute(dryArgs.toArray(String[]::new));
            assertThat(code).as(dry.toString()).isZero();
            assertThat(dry.toString()).contains("dry run", "would-replay 5");
            assertThat(intakeEnd(stack)).isEqualTo(intakeBefore);
        }
    }

    private static Set<String> submit(SubmitClient client, String prefix, int count, String payload)
            throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
            client.submit(Task.newBuilder().setId(prefix + i).setType("replay").setMaxAttempts(2)
                    .setPayload(ByteBuffer.wrap(payload.getBytes(StandardCharsets.UTF_8)))
                    .build()).get(30, TimeUnit.SECONDS);
        }
        return ids;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static KafkaConsumer<String, byte[]> intakeReader(Stack stack) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "replay-check-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new org.apache.kafka.common.serialization.StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<ConsumerRecord<String, byte[]>> replayedIntakeRecords(Stack stack) {
        List<ConsumerRecord<String, byte[]>> replays = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = intakeReader(stack)) {
            consumer.subscribe(List.of(stack.topics.tasks()));
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (r.headers().lastHeader(ReplayHeaders.REPLAY) != null) {
                        replays.add(r);
                    }
                });
                return replays.size() >= 5;
            });
        }
        return replays;
    }

    private static long intakeEnd(Stack stack) {
        try (KafkaConsumer<String, byte[]> consumer = intakeReader(stack)) {
            List<TopicPartition> tps = consumer.partitionsFor(stack.topics.tasks()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            return consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
