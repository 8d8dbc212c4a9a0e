package io.kdispatch.sdk.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.util.HashMap;
import java.util.Map;

/**
 * W3C trace context ({@code traceparent}, {@code tracestate}) in the {@code headers} map of a task or
 * result, the one carrier kdispatch uses for traces.
 *
 * <p>Why the Avro {@code headers} and not the Kafka record headers: the task record is what survives every
 * hop. The dispatcher keeps the task in its attempts store while it waits, and sends it again from there
 * (a retry, a lost worker, an expired lease) long after the intake record and its Kafka headers are gone;
 * the routing repartition, the dead-letter copy and a replay carry the Avro record, not necessarily its
 * record headers; and the worker copies the task's headers onto its result. So the context travels with
 * the task wherever it goes, whatever Kafka Streams does with record headers.
 *
 * <p>The format is fixed to W3C trace context (lower-case keys, exactly as in the map), whatever
 * propagators the application's {@code OpenTelemetry} has: the headers are part of kdispatch's wire
 * format, and every producer, dispatcher and worker must read them alike. Not an API: public for the
 * dispatcher, which shares it. Thread-safe (stateless).
 */
public final class TraceHeaders {
    /** The W3C key of the parent span: {@code 00-<trace id>-<span id>-<flags>}. */
    public static final String TRACEPARENT = "traceparent";
    /** The W3C key of the vendors' trace state. */
    public static final String TRACESTATE = "tracestate";

    private static final TextMapPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private TraceHeaders() {
    }

    /**
     * {@code base} with the remote parent span the headers name, or {@code base} itself when they name none
     * (no {@code traceparent}, or one that is malformed: a new trace starts then, nothing fails).
     */
    public static Context extract(Map<String, String> headers, Context base) {
        if (headers == null || !headers.containsKey(TRACEPARENT)) {
            return base; // the common untraced case: no parsing, no allocation
        }
        return W3C.extract(base, headers, GETTER);
    }

    /** The span context the headers name; {@link SpanContext#getInvalid()} when none. */
    public static SpanContext spanContext(Map<String, String> headers) {
        return Span.fromContext(extract(headers, Context.root())).getSpanContext();
    }

    /**
     * A copy of {@code headers} (which it leaves alone) that names the span of {@code context} as the
     * parent: any earlier {@code traceparent} and {@code tracestate} are replaced. Other headers are kept.
     * When {@code context} has no valid span, the copy has neither key.
     */
    public static Map<String, String> with(Map<String, String> headers, Context context) {
        Map<String, String> copy = headers == null ? new HashMap<>(4) : new HashMap<>(headers);
        copy.remove(TRACEPARENT);
        copy.remove(TRACESTATE);
        W3C.inject(context, copy, Map::put);
        return copy;
    }
}
