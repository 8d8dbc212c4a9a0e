package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The SDK's spans: {@code submit} (PRODUCER) around a {@code SubmitClient} send, whose context the task
 * carries in its headers ({@link TraceHeaders}), and {@code execute} (CONSUMER) around a worker's attempt,
 * child of the context the assignment's task carries (the dispatcher's {@code route} span, or the
 * producer's when the dispatcher does not trace), whose context the result then carries.
 *
 * <p>With an {@link OpenTelemetry} whose tracer is the no-op one (no SDK installed: the default), every
 * method returns at the first check: no span, no header map, the records go out as they came. Thread-safe.
 * Not an API: public for {@code SubmitClient} and the dispatcher, which reads the attribute names.
 */
public final class TaskTracing {
    /** The instrumentation scope of the SDK's spans. */
    public static final String SCOPE = "io.kdispatch.sdk";
    public static final AttributeKey<String> TASK_ID = AttributeKey.stringKey("kdispatch.task.id");
    public static final AttributeKey<String> TASK_TYPE = AttributeKey.stringKey("kdispatch.task.type");
    public static final AttributeKey<String> WORKER_ID = AttributeKey.stringKey("kdispatch.worker.id");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("kdispatch.attempt");
    /** The attempt's result status (SUCCEEDED, FAILED), or ABORTED when the worker published none. */
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("kdispatch.outcome");
    static final AttributeKey<String> MESSAGING_SYSTEM = AttributeKey.stringKey("messaging.system");
    static final AttributeKey<String> DESTINATION = AttributeKey.stringKey("messaging.destination.name");

    private final Tracer tracer;
    private final boolean enabled;

    public TaskTracing(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
        this.enabled = isReal(tracer, SCOPE);
    }

    /**
     * False when {@code tracer} is the API's no-op tracer (no SDK installed, or {@code OpenTelemetry.noop()}):
     * decided once, so that callers on a hot path skip tracing with one field read.
     */
    public static boolean isReal(Tracer tracer, String scope) {
        return tracer != TracerProvider.noop().get(scope);
    }

    /** True when spans are made (a real tracer); false means every method passes its records through. */
    public boolean enabled() {
        return enabled;
    }

    /**
     * Starts the {@code submit} span of {@code task}, sent to {@code topic}: a child of the caller's current
     * span, else of the context the task already carries (a forwarded or replayed task), else a new trace.
     *
     * @return the span to end with {@link #endSubmit}; {@link Span#getInvalid()} when tracing is off
     */
    public Span startSubmit(Task task, String topic) {
        if (!enabled) {
            return Span.getInvalid();
        }
        Context parent = Context.current();
        if (!Span.fromContext(parent).getSpanContext().isValid()) {
            parent = TraceHeaders.extract(task.getHeaders(), parent);
        }
        return tracer.spanBuilder("submit").setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute(TASK_ID, task.getId()).setAttribute(TASK_TYPE, task.getType())
                .setAttribute(MESSAGING_SYSTEM, "kafka").setAttribute(DESTINATION, topic)
                .startSpan();
    }

    /** {@code task} with {@code span} as the parent in its headers; {@code task} itself when the span is invalid. */
    public static Task carrying(Task task, Span span) {
        if (!span.getSpanContext().isValid()) {
            return task;
        }
        return withHeaders(task, TraceHeaders.with(task.getHeaders(), Context.root().with(span)));
    }

    /**
     * A shallow copy of {@code task} with other {@code headers}: the payload and the other fields are shared,
     * not copied (as {@code Task.newBuilder(task)} would), since neither record is changed afterwards.
     */
    public static Task withHeaders(Task task, Map<String, String> headers) {
        Task copy = new Task();
        int fields = Task.getClassSchema().getFields().size();
        for (int i = 0; i < fields; i++) {
            copy.put(i, task.get(i));
        }
        copy.setHeaders(headers);
        return copy;
    }

    /** Ends a {@code submit} span: {@code error} null when the broker acknowledged the task. */
    public static void endSubmit(Span span, Throwable error) {
        if (error != null) {
            span.recordException(error);
            span.setStatus(StatusCode.ERROR, error.toString());
        }
        span.end();
    }

    /**
     * Runs {@code attempt} (the handler call of {@code assignment} on worker {@code workerId}) inside an
     * {@code execute} span, current while it runs, so the handler's own spans are its children. The
     * result it returns carries the span's context in its headers.
     *
     * @return what {@code attempt} returned, with the span in its headers; null when it returned null
     */
    public TaskResult execute(TaskAssignment assignment, String workerId, Supplier<TaskResult> attempt) {
        if (!enabled) {
            return attempt.get();
        }
        Task task = assignment.getTask();
        Span span = tracer.spanBuilder("execute").setSpanKind(SpanKind.CONSUMER)
                .setParent(TraceHeaders.extract(task.getHeaders(), Context.root()))
                .setAttribute(TASK_ID, task.getId()).setAttribute(TASK_TYPE, task.getType())
                .setAttribute(WORKER_ID, workerId).setAttribute(ATTEMPT, (long) assignment.getAttempt())
                .setAttribute(MESSAGING_SYSTEM, "kafka").startSpan();
        TaskResult result;
        try (Scope ignored = span.makeCurrent()) {
            result = attempt.get();
        } catch (RuntimeException | Error e) {
            span.recordException(e);
            span.setStatus(StatusCode.ERROR, e.toString());
            span.end();
            throw e;
        }
        ended(span, result);
        if (result != null) {
            result.setHeaders(TraceHeaders.with(result.getHeaders(), Context.root().with(span)));
        }
        return result;
    }

    private static void ended(Span span, TaskResult result) {
        if (result == null) {
            span.setAttribute(OUTCOME, "ABORTED");
        } else {
            span.setAttribute(OUTCOME, result.getStatus().name());
            if (result.getStatus() == ResultStatus.FAILED) {
                span.setStatus(StatusCode.ERROR, result.getError() == null ? "failed" : result.getError());
            }
        }
        span.end();
    }
}
