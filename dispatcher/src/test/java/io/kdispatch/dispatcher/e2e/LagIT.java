package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.Dispatcher;
import io.kdispatch.dispatcher.cli.Main;
import io.kdispatch.dispatcher.config.DispatcherConfigParser;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.lag.GroupLag;
import io.kdispatch.dispatcher.lag.LagMonitor;
import io.kdispatch.dispatcher.lag.LagReader;
import io.kdispatch.dispatcher.lag.LagSettings;
import io.kdispatch.dispatcher.lag.PartitionLag;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.metrics.LagGauges;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.Worker;
import io.kdispatch.schemas.Task;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker that stops consuming while tasks keep arriving shows growing lag, and the lag reported per
 * partition is what an independent Admin client reads (end offset minus committed offset).
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class LagIT {

    @Test
    void aStoppedWorkerShowsGrowingLagThatMatchesTheRealOffsets(EmbeddedKafka kafka, EmbeddedRegistry registry,
                                                                @TempDir Path state) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            String applicationId = stack.topics.prefix() + "-dispatcher";
            // Liveness far beyond the test, and no prefetch bound: the dispatcher keeps sending to the stopped
            // worker, as it would during the seconds before it notices a real crash.
            Dispatcher dispatcher = stack.track(new Dispatcher(DispatcherConfigParser.parse(Map.of(
                    "bootstrap.servers", kafka.bootstrapServers(), "schema.registry.url", registry.url(),
                    "topic.prefix", stack.topics.prefix(), "application.id", applicationId,
                    "state.dir", state.toString(), "liveness.suspect.after.ms", "600000",
                    "liveness.dead.after.ms", "900000", "routing.prefetch", "10000")), DispatchMetrics.NOOP));
            dispatcher.start();
            assertThat(dispatcher.awaitRunning(Duration.ofSeconds(60))).isTrue();
            Worker w1 = stack.worker("w1", 2, ctx -> ctx.payload());
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient submitter = stack.submitter();
            Set<String> warm = submit(submitter, "warm-", 10);
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(warm) && outcomes.completed() == 10);

            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            LagSettings settings = LagSettings.defaults().withInterval(Duration.ofMillis(200));
            LagReader independentOfMonitor = stack.track(new LagReader(kafka.bootstrapServers(), stack.topics,
                    applicationId, settings, Map.of(), Clock.systemUTC()));
            LagMonitor monitor = stack.track(new LagMonitor(settings, new LagReader(kafka.bootstrapServers(),
                    stack.topics, applicationId, settings, Map.of(), Clock.systemUTC()), new LagGauges(meters)::update));
            monitor.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> monitor.snapshot().worker("w1").isPresent());
            // A committing worker has at most a trailing transaction marker per partition left.
            int partitions = monitor.snapshot().worker("w1").orElseThrow().partitions().size();
            // The worker commits after its results are acknowledged, so the commit can trail the results a little.
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(monitor.snapshot().worker("w1").orElseThrow().lag()).isLessThanOrEqualTo(partitions));

            w1.abort();
            submit(submitter, "a-", 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> workerLagGauge(meters) >= 20);
            double first = workerLagGauge(meters);
            submit(submitter, "b-", 20);
            await().atMost(Duration.ofSeconds(30)).until(() -> workerLagGauge(meters) >= first + 20);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    monitor.snapshot().worker("w1").orElseThrow().oldestAgeSeconds() > 0);

            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers()))) {
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                    GroupLag reported = independentOfMonitor.read().worker("w1").orElseThrow();
                    assertThat(rows(reported)).isEqualTo(independent(admin, reported.topic(), "kdispatch-worker-w1"));
                    assertThat(reported.lag()).isGreaterThanOrEqualTo(40);
                });
            }
            assertThat(table(kafka.bootstrapServers(), stack.topics.prefix(), applicationId))
                    .contains("WORKER", "OLDEST-AGE", stack.topics.workerTopic("w1"), "(intake)");
        }
    }

    /** partition -> [committed, end, lag], as an operator would compute it with kafka-consumer-groups. */
    private static Map<Integer, List<Long>> independent(Admin admin, String topic, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        int count = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
        Map<TopicPartition, OffsetSpec> earliest = new java.util.HashMap<>();
        for (int p = 0; p < count; p++) {
            latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            earliest.put(new TopicPartition(topic, p), OffsetSpec.earliest());
        }
        var ends = admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(10, TimeUnit.SECONDS);
        var starts = admin.listOffsets(earliest).all().get(10, TimeUnit.SECONDS);
        return latest.keySet().stream().collect(Collectors.toMap(TopicPartition::partition, tp -> {
            OffsetAndMetadata c = committed.get(tp);
            long end = ends.get(tp).offset();
            long from = c == null ? starts.get(tp).offset() : c.offset();
            return List.of(c == null ? -1 : c.offset(), end, end - from);
        }));
    }

    private static Map<Integer, List<Long>> rows(GroupLag lag) {
        return lag.partitions().stream().collect(Collectors.toMap(PartitionLag::partition,
                p -> List.of(p.committed(), p.end(), p.lag())));
    }

    private static double workerLagGauge(SimpleMeterRegistry meters) {
        Gauge gauge = meters.find(LagGauges.WORKER_LAG).tag("worker", "w1").gauge();
        return gauge == null ? -1 : gauge.value();
    }

    private static String table(String bootstrap, String prefix, String applicationId) {
        StringWriter out = new StringWriter();
        int code = Main.commandLine().setOut(new PrintWriter(out)).execute("lag", "--bootstrap-servers", bootstrap,
                "--topic-prefix", prefix, "--application-id", applicationId);
        assertThat(code).as(out.toString()).isZero();
        return out.toString();
    }

    private static Set<String> submit(SubmitClient client, String prefix, int count) throws Exception {
        Set<String> ids = new HashSet<>();
        List<java.util.concurrent.CompletableFuture<?>> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(prefix + i);
            sent.add(client.submit(Task.newBuilder().setId(prefix + i).setType("lag")
                    .setPayload(ByteBuffer.wrap(new byte[] {1})).build()));
        }
        client.flush();
        for (var f : sent) {
            f.get(30, TimeUnit.SECONDS);
        }
        return ids;
    }
}
