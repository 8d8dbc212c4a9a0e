package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.capacity.CapacitySettings;
import io.kdispatch.dispatcher.control.ControlClient;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scrapes {@code /metrics} (and a worker's registry) during a run that exercises every documented event,
 * and finds every metric docs/METRICS.md lists.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class MetricsIT {
    private static final Path METRICS_DOC = Path.of("..", "docs", "METRICS.md");

    @Test
    void everyDocumentedMetricIsServed(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.lease = Duration.ofSeconds(2);
            stack.health = new HealthSettings(new BreakerPolicy(4, 2, 50, 0, Duration.ofSeconds(30),
                    Duration.ofSeconds(60), 1, 50), Duration.ofMillis(10), Duration.ofMillis(100), 3);
            stack.partitions = 1;
            stack.capacity = new CapacitySettings(Duration.ofMillis(500), Duration.ofSeconds(10), Duration.ofSeconds(5),
                    "", 4); // kdispatch_workers_needed from the first estimate, 5 s after the start
            DispatcherService service = stack.service();
            PrometheusMeterRegistry workerMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            stack.worker("good", 2, Map.of(), ctx -> {
                if (ctx.taskId().equals("long")) {
                    SimulatedWork.take(1_500); // outlives half its lease, so the SDK extends it
                }
                return ctx.payload();
            }, b -> b.meterRegistry(workerMeters));
            stack.worker("bad", 2, ctx -> {
                throw new IllegalStateException("always fails");
            });
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient client = stack.submitter();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < 40; i++) {
                ids.add("m-" + i);
                client.submit(task("m-" + i).setMaxAttempts(4).build());
            }
            ids.add("long");
            client.submit(task("long").build());
            ids.add("keyed");
            client.submit(task("keyed").setAffinityKey("customer-1").build()); // binds a key
            client.submit(task("never").setRequiredLabels(Map.of("tpu", "v5")).build());
            client.submit(task("too-late").setDeadline(Instant.now().minusSeconds(1)).build());
            client.flush();
            produceOddities(stack);
            try (ControlClient control = new ControlClient(stack.bootstrapServers, stack.serdes, stack.topics)) {
                control.set("routing.prefetch", "3", "it");
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(ids));
            Set<String> documented = documented();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String scraped = scrape(service) + workerMeters.scrape();
                List<String> missing = new ArrayList<>();
                for (String name : documented) {
                    if (!scraped.contains(name)) {
                        missing.add(name);
                    }
                }
                assertThat(missing).as("documented but not served").isEmpty();
            });
        }
    }

    private static Task.Builder task(String id) {
        return Task.newBuilder().setId(id).setType("m").setPayload(ByteBuffer.wrap(new byte[] {1}));
    }

    /**
     * A heartbeat with a bad worker ID, a stale result, an assignment for another incarnation, and a control
     * record out of range.
     */
    private static void produceOddities(Stack stack) throws Exception {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers),
                new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(stack.topics.heartbeats(), "bad id!", AvroSerdes.serde(WorkerHeartbeat.class,
                    stack.serdes).serializer().serialize(stack.topics.heartbeats(), WorkerHeartbeat.newBuilder()
                    .setWorkerId("bad id!").setIncarnation(1).setStatus(WorkerStatus.READY).setCapacity(1)
                    .setSentAt(Instant.now()).build()))).get();
            raw.send(new ProducerRecord<>(stack.topics.results(), "ghost", AvroSerdes.serde(TaskResult.class,
                    stack.serdes).serializer().serialize(stack.topics.results(), TaskResult.newBuilder()
                    .setTaskId("ghost").setWorkerId("good").setAttempt(1).setStatus(ResultStatus.SUCCEEDED)
                    .setStartedAt(Instant.now()).setCompletedAt(Instant.now()).setDurationMs(1).build()))).get();
            Instant now = Instant.now();
            raw.send(new ProducerRecord<>(stack.topics.workerTopic("good"), "old", AvroSerdes.serde(
                    TaskAssignment.class, stack.serdes).serializer().serialize(stack.topics.workerTopic("good"),
                    TaskAssignment.newBuilder().setTask(task("old").build()).setWorkerId("good").setAttempt(1)
                            .setRoutingKey("old").setAssignedAt(now).setLeaseDeadline(now.plusSeconds(60))
                            .setWorkerIncarnation(42).build()))).get();
            raw.send(new ProducerRecord<>(stack.topics.control(), "routing.prefetch", AvroSerdes.serde(
                    ControlCommand.class, stack.serdes).serializer().serialize(stack.topics.control(),
                    new ControlCommand("routing.prefetch", "-1", now, "a tool that bypasses validation")))).get();
        }
    }

    private static Set<String> documented() throws Exception {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `(kdispatch_[a-z0-9_]*)` \\|").matcher(Files.readString(METRICS_DOC));
        while (m.find()) {
            names.add(m.group(1));
        }
        assertThat(names).hasSizeGreaterThan(15);
        return names;
    }

    private static String scrape(DispatcherService service) throws Exception {
        try (InputStream in = URI.create(service.adminUrl() + "/metrics").toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
