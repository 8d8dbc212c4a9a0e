package io.kdispatch.sdk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** W3C trace context in and out of a task's headers map. */
class TraceHeadersTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String SPAN = "00f067aa0ba902b7";
    private static final String PARENT = "00-" + TRACE + "-" + SPAN + "-01";

    @Test
    void aTraceparentInTheHeadersBecomesARemoteParent() {
        SpanContext parent = TraceHeaders.spanContext(Map.of(TraceHeaders.TRACEPARENT, PARENT,
                TraceHeaders.TRACESTATE, "vendor=x"));

        assertTrue(parent.isValid());
        assertTrue(parent.isRemote());
        assertEquals(TRACE, parent.getTraceId());
        assertEquals(SPAN, parent.getSpanId());
        assertTrue(parent.isSampled());
        assertEquals("x", parent.getTraceState().get("vendor"));
    }

    @Test
    void noTraceparentOrAMalformedOneLeavesTheBaseContextSoANewTraceStarts() {
        Context base = Context.root();

        assertSame(base, TraceHeaders.extract(Map.of("tenant", "a"), base));
        assertSame(base, TraceHeaders.extract(null, base));
        assertSame(base, TraceHeaders.extract(Map.of(TraceHeaders.TRACEPARENT, "00-not-a-trace-01"), base));
        assertFalse(TraceHeaders.spanContext(Map.of(TraceHeaders.TRACEPARENT, "garbage")).isValid());
    }

    @Test
    void injectingReplacesAnEarlierContextKeepsOtherHeadersAndLeavesTheOriginalAlone() {
        Map<String, String> original = new HashMap<>(Map.of("tenant", "a", TraceHeaders.TRACEPARENT, PARENT,
                TraceHeaders.TRACESTATE, "old=1"));
        SpanContext next = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());

        Map<String, String> headers = TraceHeaders.with(original, Context.root().with(Span.wrap(next)));

        assertEquals(Map.of("tenant", "a", TraceHeaders.TRACEPARENT,
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"), headers);
        assertEquals(PARENT, original.get(TraceHeaders.TRACEPARENT));
        assertEquals(next.getSpanId(), TraceHeaders.spanContext(headers).getSpanId());
    }

    @Test
    void aContextWithoutAValidSpanInjectsNothingAndDropsTheOldContext() {
        Map<String, String> headers = TraceHeaders.with(Map.of("tenant", "a", TraceHeaders.TRACEPARENT, PARENT),
                Context.root());

        assertEquals(Map.of("tenant", "a"), headers);
    }
}
