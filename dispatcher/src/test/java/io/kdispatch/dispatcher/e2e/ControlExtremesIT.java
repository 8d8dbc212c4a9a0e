package io.kdispatch.dispatcher.e2e;

import static io.kdispatch.dispatcher.e2e.AdminCalls.cli;
import static io.kdispatch.dispatcher.e2e.AdminCalls.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.config.ControlPattern;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.config.Setting;
import io.kdispatch.dispatcher.config.SettingType;
import io.kdispatch.dispatcher.config.Settings;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.MicrometerDispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, reproduction (c): no value the control topic accepts stops or stalls a dispatcher, not even across
 * a restart, and a record it cannot apply is ignored, counted and leaves the previous value in force.
 *
 * <p>Every run-time key of the catalogue (and every patterned key, at its longest and shortest name) is set
 * through {@code config set} to the top of its accepted range, all in one command; the dispatcher is
 * restarted (closed, and a new instance started with the same application ID and state directory) and must
 * reach RUNNING and dispatch a task; then the same with the bottom of every range. One restart per batch
 * proves as much as one per key: a restarted instance applies the whole control topic at once, in
 * {@code DispatchProcessor.init}, so a single key it could not apply would stop it there, as
 * {@code breaker.minimum.calls=5000} did. ({@code ControlApplicationTest} applies every value of every key
 * one at a time, over many bases.) Finally another tool writes, bypassing validation, an out-of-range value
 * and bytes that are not a {@code ControlCommand}: the running instance and a restarted one keep going, keep
 * the previous values and count both refusals.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class ControlExtremesIT {
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    @Test
    void theExtremeOfEveryRunTimeKeySurvivesARestartAndAnUnappliableRecordIsIgnored(EmbeddedKafka kafka,
                                                                                   EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            Run run = new Run(stack, registry.url());
            Map<String, String> highest = extremes(true);
            Map<String, String> lowest = extremes(false);
            // The patterned keys of the two batches differ (longest and shortest names), so both stay set.
            Map<String, String> afterLowest = new TreeMap<>(highest);
            afterLowest.putAll(lowest);

            try (DispatcherService first = run.start()) {
                run.dispatches(first, "before");
                run.set(highest);
                awaitOverrides(first, highest);
                run.dispatches(first, "highest-live");
            }
            try (DispatcherService second = run.start()) {
                assertApplied(second, highest);
                run.dispatches(second, "highest-restarted");
                run.set(lowest);
                awaitOverrides(second, afterLowest);
                run.dispatches(second, "lowest-live");
            }
            try (DispatcherService third = run.start()) {
                assertApplied(third, afterLowest);
                run.dispatches(third, "lowest-restarted");
                writeBypassingValidation(stack);
                awaitRefusalsKeepingPreviousValues(third, afterLowest);
                run.dispatches(third, "after-refusals");
            }
            try (DispatcherService fourth = run.start()) {
                awaitRefusalsKeepingPreviousValues(fourth, afterLowest);
                run.dispatches(fourth, "refusals-restarted");
            }
            assertThat(run.outcomes.deadLettered()).isEmpty();
        }
    }

    /** One installation restarted again and again: its configuration, a worker, a submitter, the CLI's flags. */
    private static final class Run {
        final DispatcherConfig config;
        final SubmitClient submitter;
        final OutcomeTracker outcomes;
        final String[] cluster;

        Run(Stack stack, String registryUrl) {
            AdminCalls.awaitTopics(stack);
            // One state directory and application ID for every instance: a restart, not a new installation.
            // Kafka Streams does not leave its group on close, so the restarted instance gets its partitions
            // when the old member's session ends: the broker's minimum session keeps that short.
            config = stack.config().withStreamsOverrides(Map.of("session.timeout.ms", "6000"));
            stack.worker("w1", 4, ctx -> ctx.payload());
            outcomes = stack.outcomes();
            submitter = stack.submitter();
            cluster = new String[] {"--bootstrap-servers", stack.bootstrapServers, "--schema-registry-url",
                registryUrl, "--topic-prefix", stack.topics.prefix()};
        }

        DispatcherService start() throws Exception {
            DispatcherService service = new DispatcherService(config, "127.0.0.1", 0);
            try {
                service.start();
                assertThat(service.awaitRunning(DEADLINE)).as("RUNNING within %s", DEADLINE).isTrue();
                return service;
            } catch (Exception | AssertionError e) {
                service.close();
                throw e;
            }
        }

        void set(Map<String, String> values) {
            List<String> command = new ArrayList<>(List.of("config", "set"));
            values.forEach((k, v) -> command.add(k + "=" + v));
            command.addAll(List.of("--by", "extremes"));
            AdminCalls.Cli set = cli(cluster, command.toArray(String[]::new));
            assertThat(set.status()).as("config set: %s", set.err()).isZero();
        }

        /** A task submitted now reaches the worker and completes. */
        void dispatches(DispatcherService service, String id) throws Exception {
            submitter.submit(Task.newBuilder().setId(id).setType("echo").build()).get();
            await().atMost(DEADLINE).until(() -> outcomes.completedBy().containsKey(id));
            assertThat(outcomes.completedBy()).containsEntry(id, "w1");
            assertThat(service.dispatcher().state().isRunningOrRebalancing()).isTrue();
        }
    }

    /** The first (lowest) or last (highest) accepted value of every run-time key and patterned key. */
    private static Map<String, String> extremes(boolean highest) {
        Map<String, String> values = new LinkedHashMap<>();
        for (Setting<?> s : Settings.runtime()) {
            values.put(s.key(), pick(s.type(), highest));
        }
        for (ControlPattern<?> p : Settings.PATTERNS) {
            // Names that are none of the test's workers or task types, so routing itself is unaffected.
            values.put(p.key(highest ? "x".repeat(p.maxNameLength()) : "x"), pick(p.type(), highest));
        }
        return values;
    }

    private static <T> String pick(SettingType<T> type, boolean highest) {
        List<T> samples = type.samples();
        return type.format(samples.get(highest ? samples.size() - 1 : 0));
    }

    private static void awaitOverrides(DispatcherService service, Map<String, String> values) {
        await().atMost(DEADLINE).untilAsserted(() -> assertThat(overrides(service)).isEqualTo(new TreeMap<>(values)));
    }

    /** A restarted instance shows every value in force: in its overrides, its routing and its breaker policy. */
    private static void assertApplied(DispatcherService service, Map<String, String> values) throws Exception {
        awaitOverrides(service, values);
        JsonNode config = get(service, "/config");
        assertThat(config.get("invalid")).isEmpty();
        assertThat(config.at("/routing/strategy").asText()).isEqualTo(values.get("routing.strategy"));
        String ab = values.get("routing.ab.strategy");
        assertThat(config.at("/routing/abStrategy").asText()).isEqualTo(Settings.NONE.equals(ab) ? "null" : ab);
        assertThat(config.at("/routing/abPercent").asText()).isEqualTo(values.get("routing.ab.percent"));
        assertThat(config.at("/routing/boundedLoadFactor").asText()).isEqualTo(values.get("routing.bounded.load.factor"));
        assertThat(config.at("/routing/prefetch").asText()).isEqualTo(values.get("routing.prefetch"));
        assertThat(config.at("/breakerOverrides/minimumCalls").asText()).isEqualTo(values.get("breaker.minimum.calls"));
        assertThat(config.at("/breakerOverrides/openDurationMs").asText())
                .isEqualTo(values.get("breaker.open.duration.ms"));
        assertThat(rejected(service, "invalid-value") + rejected(service, "unreadable")).isZero();
    }

    /**
     * What a tool that bypasses validation might write: the value that used to stop every dispatcher, and a
     * plain JSON value where a {@code ControlCommand} belongs (an older or foreign format).
     */
    private static void writeBypassingValidation(Stack stack) throws Exception {
        try (Serializer<ControlCommand> commands = AvroSerdes.serde(ControlCommand.class, stack.serdes).serializer();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers, ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new ByteArraySerializer())) {
            String topic = stack.topics.control();
            byte[] outOfRange = commands.serialize(topic, new ControlCommand("breaker.minimum.calls", "5000",
                    Instant.now(), "rogue-tool"));
            producer.send(new ProducerRecord<>(topic, "breaker.minimum.calls", outOfRange)).get();
            producer.send(new ProducerRecord<>(topic, "routing.prefetch",
                    "{\"value\":\"50\"}".getBytes(StandardCharsets.UTF_8))).get();
        }
    }

    private static void awaitRefusalsKeepingPreviousValues(DispatcherService service, Map<String, String> previous) {
        await().atMost(DEADLINE).untilAsserted(() -> {
            assertThat(rejected(service, "invalid-value")).isEqualTo(1.0);
            assertThat(rejected(service, "unreadable")).isEqualTo(1.0);
            JsonNode config = get(service, "/config");
            assertThat(config.get("invalid").has("breaker.minimum.calls")).isTrue();
            assertThat(config.get("invalid").has("routing.prefetch")).isTrue();
            assertThat(overrides(service)).isEqualTo(new TreeMap<>(previous));
            assertThat(config.at("/breakerOverrides/minimumCalls").asText())
                    .isEqualTo(previous.get("breaker.minimum.calls"));
        });
    }

    private static Map<String, String> overrides(DispatcherService service) throws Exception {
        Map<String, String> out = new TreeMap<>();
        get(service, "/config").get("overrides").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static double rejected(DispatcherService service, String reason) {
        Counter c = service.meters().find(MicrometerDispatchMetrics.CONFIG_REJECTED).tag("reason", reason).counter();
        return c == null ? 0 : c.count();
    }
}
