package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.sdk.TaskHandler;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The SDK's spans on an in-memory exporter (nothing registered globally): submit and execute, their
 * parents, attributes and the context they leave in the records; and no trace at all on the no-op API.
 */
class TaskTracingTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    private final InMemorySpanExporter exported = InMemorySpanExporter.create();
    private final SdkTracerProvider provider = SdkTracerProvider.builder()
            .addSpanProcessor(SimpleSpanProcessor.create(exported)).build();
    private final OpenTelemetry sdk = OpenTelemetrySdk.builder().setTracerProvider(provider).build();
    private final TaskTracing tracing = new TaskTracing(sdk);

    @AfterEach
    void close() {
        provider.close();
    }

    private static Task task(Map<String, String> headers) {
        return Task.newBuilder().setId("t-1").setType("echo").setPayload(ByteBuffer.wrap(new byte[] {1}))
                .setHeaders(headers).build();
    }

    private static TaskAssignment assignment(Task task) {
        Instant now = CLOCK.instant();
        return TaskAssignment.newBuilder().setTask(task).setWorkerId("w-1").setAttempt(2).setRoutingKey("rk")
                .setAssignedAt(now).setLeaseDeadline(now.plusSeconds(60)).setLeaseMs(60_000).build();
    }

    private TaskResult execute(TaskTracing t, TaskAssignment a, TaskHandler handler) {
        return t.execute(a, "w-1", () -> AttemptCall.run(a, "w-1", 9, handler, CLOCK, () -> new AttemptCall.Lease() {
            @Override
            public void extend() {
            }

            @Override
            public void close() {
            }
        }, () -> false));
    }

    private SpanData only(String name) {
        List<SpanData> spans = exported.getFinishedSpanItems().stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, spans.size(), () -> "one " + name + " span, got " + exported.getFinishedSpanItems());
        return spans.get(0);
    }

    @Test
    void theHandlerRunsInAnExecuteSpanChildOfTheTaskContextAndTheResultCarriesIt() {
        Span parent = sdk.getTracer("test").spanBuilder("route").startSpan();
        parent.end();
        Task task = task(TraceHeaders.with(Map.of("tenant", "a"), Context.root().with(parent)));
        AtomicReference<SpanContext> seen = new AtomicReference<>();

        TaskResult result = execute(tracing, assignment(task), ctx -> {
            seen.set(Span.current().getSpanContext());
            return ctx.payload();
        });

        SpanData execute = only("execute");
        assertEquals(SpanKind.CONSUMER, execute.getKind());
        assertEquals(parent.getSpanContext().getTraceId(), execute.getTraceId());
        assertEquals(parent.getSpanContext().getSpanId(), execute.getParentSpanId());
        assertEquals(execute.getSpanContext(), seen.get());
        assertEquals("t-1", execute.getAttributes().get(TaskTracing.TASK_ID));
        assertEquals("w-1", execute.getAttributes().get(TaskTracing.WORKER_ID));
        assertEquals(2L, execute.getAttributes().get(TaskTracing.ATTEMPT));
        assertEquals("SUCCEEDED", execute.getAttributes().get(TaskTracing.OUTCOME));
        assertEquals(execute.getSpanId(), TraceHeaders.spanContext(result.getHeaders()).getSpanId());
        assertEquals("a", result.getHeaders().get("tenant"));
        assertEquals(parent.getSpanContext().getSpanId(),
                TraceHeaders.spanContext(task.getHeaders()).getSpanId(), "the task's own headers are left alone");
    }

    @Test
    void aFailingHandlerMarksTheSpanAnErrorWithItsOutcome() {
        execute(tracing, assignment(task(Map.of())), ctx -> {
            throw new IllegalStateException("boom");
        });

        SpanData execute = only("execute");
        assertEquals("FAILED", execute.getAttributes().get(TaskTracing.OUTCOME));
        assertEquals(StatusCode.ERROR, execute.getStatus().getStatusCode());
        assertEquals("boom", execute.getStatus().getDescription());
        assertFalse(execute.getParentSpanContext().isValid(), "no context in the task: a new trace");
    }

    @Test
    void aSubmitSpanIsAChildOfTheCallersSpanAndTheSentTaskCarriesIt() {
        Span caller = sdk.getTracer("test").spanBuilder("caller").startSpan();
        Task task = task(Map.of("tenant", "a"));
        Span submit;
        try (Scope ignored = caller.makeCurrent()) {
            submit = tracing.startSubmit(task, "dispatch.tasks");
        }
        Task sent = TaskTracing.carrying(task, submit);
        TaskTracing.endSubmit(submit, null);
        caller.end();

        SpanData data = only("submit");
        assertEquals(SpanKind.PRODUCER, data.getKind());
        assertEquals(caller.getSpanContext().getSpanId(), data.getParentSpanId());
        assertEquals("t-1", data.getAttributes().get(TaskTracing.TASK_ID));
        assertEquals("echo", data.getAttributes().get(TaskTracing.TASK_TYPE));
        assertEquals(data.getSpanId(), TraceHeaders.spanContext(sent.getHeaders()).getSpanId());
        assertEquals("a", sent.getHeaders().get("tenant"));
        assertEquals(Map.of("tenant", "a"), task.getHeaders(), "the caller's task is left alone");
        assertEquals(task.getPayload(), sent.getPayload());
    }

    @Test
    void withoutACurrentSpanASubmitContinuesTheContextTheTaskCarriesAndAFailedSendIsAnError() {
        Span earlier = sdk.getTracer("test").spanBuilder("earlier").startSpan();
        earlier.end();
        Task task = task(TraceHeaders.with(Map.of(), Context.root().with(earlier)));

        TaskTracing.endSubmit(tracing.startSubmit(task, "dispatch.tasks"), new IllegalStateException("closed"));

        SpanData data = only("submit");
        assertEquals(earlier.getSpanContext().getSpanId(), data.getParentSpanId());
        assertEquals(StatusCode.ERROR, data.getStatus().getStatusCode());
    }

    @Test
    void theNoopApiRecordsNothingAndPassesEveryRecordThroughUntouched() {
        TaskTracing off = new TaskTracing(GlobalOpenTelemetry.getOrNoop());
        Task task = task(Map.of("tenant", "a"));

        Span submit = off.startSubmit(task, "dispatch.tasks");
        TaskResult result = execute(off, assignment(task), ctx -> ctx.payload());

        assertFalse(off.enabled());
        assertTrue(tracing.enabled());
        assertSame(Span.getInvalid(), submit);
        assertSame(task, TaskTracing.carrying(task, submit));
        assertEquals(Map.of("tenant", "a"), result.getHeaders());
        assertEquals(ResultStatus.SUCCEEDED, result.getStatus());
        assertTrue(exported.getFinishedSpanItems().isEmpty());
    }

    @Test
    void anAbortedAttemptEndsItsSpanWithoutAResult() {
        TaskResult result = tracing.execute(assignment(task(Map.of())), "w-1", () -> null);

        assertNull(result);
        assertEquals("ABORTED", only("execute").getAttributes().get(TaskTracing.OUTCOME));
    }
}
