package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.TaskFacts;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.internal.TaskTracing;
import io.kdispatch.sdk.internal.TraceHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Objects;

/**
 * The dispatcher's {@code route} spans: one (kind INTERNAL) per routing decision that sends an attempt to a
 * worker or first parks it, child of the W3C trace context in the task's {@code headers} (the producer's
 * {@code submit} span), or the root of a new trace when the task carries none. The task sent to the worker
 * carries the route span's context, so the worker's {@code execute} span is its child.
 *
 * <p>What the attempts store keeps: the task as it came when it names a parent (so every later decision on a
 * retry or a re-dispatch is a child of the producer's span too); the task with the route span's context when
 * it named none, so that the trace this decision started is the one its later decisions and attempts
 * continue. The context lives in the task's Avro headers and not in Kafka record headers because the store
 * and every re-dispatch from it carry only the record (see {@link TraceHeaders}).
 *
 * <p>Cost on the hot path: with the no-op OpenTelemetry (no SDK installed, the default) each method returns
 * its task after one field read: no span, no header parsing, no map, no copy. Thread-safe: one instance serves
 * every stream task of a dispatcher.
 */
final class RouteTracing {
    /** No tracing: every task passes through as it is. */
    static final RouteTracing OFF = new RouteTracing(OpenTelemetry.noop());
    static final String SCOPE = "io.kdispatch.dispatcher";
    /** {@code assigned} or {@code parked}. */
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("kdispatch.route.outcome");
    /** The rule that decided (as explain shows it): sticky, affinity-hash, the strategy label, or parked. */
    static final AttributeKey<String> RULE = AttributeKey.stringKey("kdispatch.route.rule");
    static final AttributeKey<String> STRATEGY = AttributeKey.stringKey("kdispatch.route.strategy");
    /** Why a parked attempt waits. */
    static final AttributeKey<String> REASON = AttributeKey.stringKey("kdispatch.route.reason");
    /** Eligible workers the decision chose from. */
    static final AttributeKey<Long> CANDIDATES = AttributeKey.longKey("kdispatch.route.candidates");
    /** How long the attempt had waited for this decision: since submission, or since the last attempt ended. */
    static final AttributeKey<Long> WAIT_MS = AttributeKey.longKey("kdispatch.route.wait_ms");

    private final Tracer tracer;
    private final boolean enabled;

    RouteTracing(OpenTelemetry openTelemetry) {
        this.tracer = Objects.requireNonNull(openTelemetry, "openTelemetry").getTracer(SCOPE);
        this.enabled = TaskTracing.isReal(tracer, SCOPE);
    }

    /** Traces sending {@code sent} by {@code decision}; returns the task its worker receives. */
    Task sent(Attempt sent, RoutingDecision.Assigned decision, Task task, long nowMs) {
        if (!enabled) {
            return task;
        }
        SpanBuilder span = route(sent, task, nowMs).setAttribute(OUTCOME, "assigned")
                .setAttribute(RULE, decision.rule()).setAttribute(STRATEGY, decision.strategy())
                .setAttribute(TaskTracing.WORKER_ID, decision.workerId())
                .setAttribute(CANDIDATES, (long) decision.candidateCount());
        return carrying(task, span);
    }

    /** Traces parking {@code waiting} by {@code decision}; returns the task the attempts store keeps. */
    Task parked(Attempt waiting, RoutingDecision.Parked decision, Task task, long nowMs) {
        if (!enabled) {
            return task;
        }
        SpanBuilder span = route(waiting, task, nowMs).setAttribute(OUTCOME, "parked")
                .setAttribute(RULE, "parked").setAttribute(REASON, decision.reason());
        return stored(task, carrying(task, span));
    }

    /**
     * The task the attempts store keeps after a decision that made {@code traced} of {@code original}:
     * {@code original} when it names a parent already, else {@code traced}, which names the new trace's root.
     */
    static Task stored(Task original, Task traced) {
        if (traced == original || TraceHeaders.spanContext(original.getHeaders()).isValid()) {
            return original;
        }
        return traced;
    }

    private SpanBuilder route(Attempt attempt, Task task, long nowMs) {
        // The parent is the task's own context, never Context.current(): on a stream thread that may be an
        // agent's span for whatever record happens to be processed (a result, a tick), not for this task.
        SpanBuilder span = tracer.spanBuilder("route").setSpanKind(SpanKind.INTERNAL)
                .setParent(TraceHeaders.extract(task.getHeaders(), Context.root()))
                .setAttribute(TaskTracing.TASK_ID, attempt.taskId())
                .setAttribute(TaskTracing.TASK_TYPE, attempt.task().type())
                .setAttribute(TaskTracing.ATTEMPT, (long) attempt.number());
        long waited = waitMs(attempt, nowMs);
        return waited < 0 ? span : span.setAttribute(WAIT_MS, waited);
    }

    private static Task carrying(Task task, SpanBuilder builder) {
        Span span = builder.startSpan();
        span.end(); // a decision takes no time worth a duration; its wait is an attribute
        return TaskTracing.carrying(task, span);
    }

    /** Since the previous attempt ended for a retry, else since submission; -1 when unknown. */
    static long waitMs(Attempt attempt, long nowMs) {
        List<io.kdispatch.dispatcher.attempt.Outcome> history = attempt.history();
        long since = attempt.retry() && !history.isEmpty() ? history.get(history.size() - 1).atMs()
                : attempt.task().submittedAtMs();
        return since == TaskFacts.UNKNOWN ? -1 : Math.max(0, nowMs - since);
    }
}
