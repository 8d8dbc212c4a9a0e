package io.kdispatch.dispatcher.topology;

import static io.kdispatch.dispatcher.topology.DispatcherFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.StoredAttemptState;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.sdk.internal.TaskTracing;
import io.kdispatch.sdk.internal.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's route spans on the real topology (TopologyTestDriver, driven time) with an in-memory
 * exporter: their parents, their attributes, the context the worker receives and the one the store keeps.
 */
class RouteTracingTopologyTest {
    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final OpenTelemetry sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    private DispatcherFixture f = new DispatcherFixture(sdk);

    @AfterEach
    void close() {
        f.close();
        provider.close();
    }

    private List<SpanData> routes() {
        return exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals("route")).toList();
    }

    private static SpanContext carried(TaskAssignment a) {
        return TraceHeaders.spanContext(a.getTask().getHeaders());
    }

    private SpanContext stored(String taskId) {
        return TraceHeaders.spanContext(f.attempts().get(taskId).getTask().getHeaders());
    }

    @Test
    void aSentTaskContinuesTheProducersTraceAndItsWorkerReceivesTheRouteSpan() {
        f.workers("w1");
        Span submit = sdk.getTracer("test").spanBuilder("submit").startSpan();
        submit.end();
        f.submit(task("t1").setSubmittedAt(f.now().minusMillis(250))
                .setHeaders(TraceHeaders.with(Map.of("tenant", "a"), Context.root().with(submit))).build());

        TaskAssignment a = f.workerTopic("w1").readValue();
        SpanData route = routes().get(0);
        assertThat(routes()).hasSize(1);
        assertThat(route.getKind()).isEqualTo(SpanKind.INTERNAL);
        assertThat(route.getTraceId()).isEqualTo(submit.getSpanContext().getTraceId());
        assertThat(route.getParentSpanId()).isEqualTo(submit.getSpanContext().getSpanId());
        assertThat(route.getAttributes().get(RouteTracing.OUTCOME)).isEqualTo("assigned");
        assertThat(route.getAttributes().get(RouteTracing.RULE)).isEqualTo(a.getStrategy());
        assertThat(route.getAttributes().get(RouteTracing.STRATEGY)).isNotBlank();
        assertThat(route.getAttributes().get(TaskTracing.WORKER_ID)).isEqualTo("w1");
        assertThat(route.getAttributes().get(TaskTracing.TASK_ID)).isEqualTo("t1");
        assertThat(route.getAttributes().get(TaskTracing.ATTEMPT)).isEqualTo(1L);
        assertThat(route.getAttributes().get(RouteTracing.WAIT_MS)).isEqualTo(250L);
        assertThat(carried(a).getSpanId()).isEqualTo(route.getSpanId());
        assertThat(a.getTask().getHeaders()).containsEntry("tenant", "a");
        assertThat(stored("t1").getSpanId()).as("the store keeps the producer's context")
                .isEqualTo(submit.getSpanContext().getSpanId());
    }

    @Test
    void aTaskWithoutContextStartsATraceWhereItParksAndKeepsItWhenItIsSentLater() {
        f.submit(task("t1").build());                       // no worker yet: parked

        SpanData parked = routes().get(0);
        assertThat(parked.getParentSpanContext().isValid()).as("a new trace starts at route").isFalse();
        assertThat(parked.getAttributes().get(RouteTracing.OUTCOME)).isEqualTo("parked");
        assertThat(parked.getAttributes().get(RouteTracing.RULE)).isEqualTo("parked");
        assertThat(parked.getAttributes().get(RouteTracing.REASON)).isNotBlank();
        assertThat(parked.getAttributes().get(RouteTracing.WAIT_MS)).as("no submittedAt: unknown").isNull();
        assertThat(stored("t1").getSpanId()).isEqualTo(parked.getSpanId());

        f.workers("w1");
        TaskAssignment a = f.workerTopic("w1").readValue();
        SpanData sent = routes().get(1);
        assertThat(routes()).hasSize(2);
        assertThat(sent.getTraceId()).isEqualTo(parked.getTraceId());
        assertThat(sent.getParentSpanId()).isEqualTo(parked.getSpanId());
        assertThat(carried(a).getSpanId()).isEqualTo(sent.getSpanId());
    }

    @Test
    void aRetryOnAnotherWorkerStaysInTheTraceTheFirstDecisionStarted() {
        f.workers("w1", "w2");
        f.submit(task("t1").build());
        TaskAssignment first = firstAssignment();
        SpanData root = routes().get(0);
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(stored("t1").getSpanId()).isEqualTo(root.getSpanId());

        f.result(first, ResultStatus.FAILED);
        for (int i = 0; i < 20 && f.attempts().get("t1").getState() != StoredAttemptState.ASSIGNED; i++) {
            f.heartbeat("w1", Map.of());
            f.heartbeat("w2", Map.of());
            f.advance(Duration.ofMillis(500));
        }

        assertThat(f.attempts().get("t1").getState()).isEqualTo(StoredAttemptState.ASSIGNED);
        SpanData retry = routes().get(routes().size() - 1);
        assertThat(retry.getAttributes().get(TaskTracing.ATTEMPT)).isEqualTo(2L);
        assertThat(retry.getAttributes().get(RouteTracing.OUTCOME)).isEqualTo("assigned");
        assertThat(retry.getAttributes().get(RouteTracing.WAIT_MS)).isPositive();
        assertThat(routes()).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(root.getTraceId()));
        assertThat(routes().subList(1, routes().size()))
                .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(root.getSpanId()));
    }

    private TaskAssignment firstAssignment() {
        List<TaskAssignment> w1 = f.workerTopic("w1").readValuesToList();
        return w1.isEmpty() ? f.workerTopic("w2").readValue() : w1.get(0);
    }

    @Test
    void withoutAnSdkTheTaskReachesItsWorkerWithItsHeadersUntouched() {
        f.close();
        f = new DispatcherFixture();
        f.workers("w1");
        Map<String, String> headers = Map.of(TraceHeaders.TRACEPARENT,
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", "tenant", "a");
        Task t = task("t1").setHeaders(headers).build();

        f.submit(t);

        assertThat(f.workerTopic("w1").readValue().getTask().getHeaders()).isEqualTo(headers);
        assertThat(exported.getFinishedSpanItems()).isEmpty();
    }
}
