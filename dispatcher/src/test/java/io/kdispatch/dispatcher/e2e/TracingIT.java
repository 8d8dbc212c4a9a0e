package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.internal.TaskTracing;
import io.kdispatch.sdk.internal.TraceHeaders;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Traces on a real broker: one task submitted through {@code SubmitClient}, routed by a dispatcher and run
 * by an SDK worker yields one connected trace submit → route → execute, whose last span the result record
 * carries; a task submitted without trace context starts its trace at route. Spans go to an in-memory
 * exporter handed to every component (nothing registered globally).
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class TracingIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    private final AtomicReference<SpanContext> handlerSpan = new AtomicReference<>();

    @AfterEach
    void close() {
        provider.close();
    }

    @Test
    void oneTaskYieldsAConnectedTraceFromSubmitThroughRouteAndExecuteToItsResult(EmbeddedKafka kafka,
                                                                                EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = tracedStack(kafka, registry);
             KafkaConsumer<String, byte[]> results = resultsConsumer(stack)) {
            stack.submitter().submit(task("traced-1")).get(30, TimeUnit.SECONDS);

            TaskResult result = awaitResult(stack, results, "traced-1");
            SpanData submit = awaitSpan("submit", "traced-1");
            SpanData execute = awaitSpan("execute", "traced-1");
            SpanData route = assigned("traced-1");

            assertThat(submit.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(submit.getParentSpanContext().isValid()).isFalse();
            assertThat(execute.getTraceId()).isEqualTo(submit.getTraceId());
            // Every decision (a park while the dispatcher did not know the worker yet, then the send) is a
            // child of the producer's span; the worker's execute is a child of the decision that sent it.
            assertThat(spansOf("route", "traced-1")).allSatisfy(r -> {
                assertThat(r.getTraceId()).isEqualTo(submit.getTraceId());
                assertThat(r.getParentSpanId()).isEqualTo(submit.getSpanId());
            });
            assertThat(execute.getParentSpanId()).isEqualTo(route.getSpanId());
            assertRouteAndExecute(route, execute);
            assertThat(result.getHeaders()).containsEntry("tenant", "acme");
            assertCarriesExecute(result, execute);
        }
    }

    @Test
    void aTaskSubmittedWithoutTraceHeadersStartsANewTraceAtRouteThatTheWorkerContinues(EmbeddedKafka kafka,
                                                                                        EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = tracedStack(kafka, registry);
             KafkaConsumer<String, byte[]> results = resultsConsumer(stack)) {
            // A producer that does not trace: SubmitClient on the no-op API puts no context in the headers.
            SubmitClient untraced = stack.track(SubmitClient.builder().bootstrapServers(stack.bootstrapServers)
                    .serdeConfig(stack.serdes).topics(stack.topics).build());
            untraced.submit(task("untraced-1")).get(30, TimeUnit.SECONDS);

            TaskResult result = awaitResult(stack, results, "untraced-1");
            SpanData execute = awaitSpan("execute", "untraced-1");
            SpanData route = assigned("untraced-1");
            List<SpanData> routes = spansOf("route", "untraced-1");
            SpanData root = routes.get(0); // the first decision: the send, or a park before it

            assertThat(spansOf("submit", "untraced-1")).isEmpty();
            assertThat(root.getParentSpanContext().isValid()).as("route is the root of a new trace").isFalse();
            assertThat(routes.subList(1, routes.size())).allSatisfy(r -> {
                assertThat(r.getTraceId()).isEqualTo(root.getTraceId());
                assertThat(r.getParentSpanId()).isEqualTo(root.getSpanId());
            });
            assertThat(execute.getTraceId()).isEqualTo(root.getTraceId());
            assertThat(execute.getParentSpanId()).isEqualTo(route.getSpanId());
            assertRouteAndExecute(route, execute);
            assertCarriesExecute(result, execute);
        }
    }

    private Stack tracedStack(EmbeddedKafka kafka, EmbeddedRegistry registry) throws InterruptedException {
        Stack stack = new Stack(kafka.bootstrapServers(), registry.url());
        stack.openTelemetry = sdk;
        stack.dispatcher(DispatchMetrics.NOOP);
        stack.worker("w1", 2, ctx -> {
            handlerSpan.set(Span.current().getSpanContext());
            return ctx.payload();
        });
        return stack;
    }

    private static Task task(String id) {
        return Task.newBuilder().setId(id).setType("echo").setHeaders(Map.of("tenant", "acme"))
                .setPayload(ByteBuffer.wrap(id.getBytes(StandardCharsets.UTF_8))).build();
    }

    private void assertRouteAndExecute(SpanData route, SpanData execute) {
        assertThat(route.getAttributes().get(TaskTracing.WORKER_ID)).isEqualTo("w1");
        assertThat(route.getAttributes().get(TaskTracing.ATTEMPT)).isEqualTo(1L);
        assertThat(route.getAttributes().get(AttributeKey.stringKey("kdispatch.route.outcome"))).isEqualTo("assigned");
        assertThat(route.getAttributes().get(AttributeKey.stringKey("kdispatch.route.rule"))).isNotBlank();
        assertThat(route.getAttributes().get(AttributeKey.stringKey("kdispatch.route.strategy"))).isNotBlank();
        assertThat(route.getAttributes().get(AttributeKey.longKey("kdispatch.route.wait_ms"))).isNotNull()
                .isNotNegative();
        assertThat(execute.getKind()).isEqualTo(SpanKind.CONSUMER);
        assertThat(execute.getAttributes().get(TaskTracing.WORKER_ID)).isEqualTo("w1");
        assertThat(execute.getAttributes().get(TaskTracing.ATTEMPT)).isEqualTo(1L);
        assertThat(execute.getAttributes().get(TaskTracing.OUTCOME)).isEqualTo("SUCCEEDED");
        assertThat(handlerSpan.get()).as("the handler ran inside the execute span").isEqualTo(execute.getSpanContext());
    }

    private static void assertCarriesExecute(TaskResult result, SpanData execute) {
        assertThat(result.getStatus()).isEqualTo(ResultStatus.SUCCEEDED);
        SpanContext carried = TraceHeaders.spanContext(result.getHeaders());
        assertThat(carried.getTraceId()).isEqualTo(execute.getTraceId());
        assertThat(carried.getSpanId()).isEqualTo(execute.getSpanId());
    }

    private List<SpanData> spansOf(String name, String taskId) {
        return exported.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(name) && taskId.equals(s.getAttributes().get(TaskTracing.TASK_ID)))
                .toList();
    }

    /** The one route span of {@code taskId} that sent it (attempt 1 went to w1). */
    private SpanData assigned(String taskId) {
        List<SpanData> sent = spansOf("route", taskId).stream()
                .filter(s -> "assigned".equals(s.getAttributes().get(AttributeKey.stringKey("kdispatch.route.outcome"))))
                .toList();
        assertThat(sent).as("one route span that sent %s", taskId).hasSize(1);
        return sent.get(0);
    }

    private SpanData awaitSpan(String name, String taskId) {
        await().atMost(WAIT).until(() -> !spansOf(name, taskId).isEmpty());
        List<SpanData> spans = spansOf(name, taskId);
        assertThat(spans).as("one %s span for %s", name, taskId).hasSize(1);
        return spans.get(0);
    }

    private static KafkaConsumer<String, byte[]> resultsConsumer(Stack stack) {
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "trace-results-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(stack.topics.results()));
        return consumer;
    }

    /** The final result of {@code taskId} on the results topic (lease extensions skipped). */
    private static TaskResult awaitResult(Stack stack, KafkaConsumer<String, byte[]> consumer, String taskId) {
        Deserializer<TaskResult> results = AvroSerdes.serde(TaskResult.class, stack.serdes).deserializer();
        AtomicReference<TaskResult> found = new AtomicReference<>();
        await().atMost(WAIT).until(() -> {
            consumer.poll(Duration.ofMillis(200)).forEach(r -> Optional.of(results.deserialize(r.topic(), r.value()))
                    .filter(v -> v.getTaskId().equals(taskId) && v.getStatus() != ResultStatus.LEASE_EXTENSION)
                    .ifPresent(found::set));
            return found.get() != null;
        });
        return found.get();
    }
}
