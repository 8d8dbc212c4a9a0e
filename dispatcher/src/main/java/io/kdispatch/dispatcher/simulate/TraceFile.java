package io.kdispatch.dispatcher.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Trace} as JSON lines: a first line naming the format, the source and the range, then one line
 * per record in time order, each {@code {"at": <epoch ms>, "<kind>": {...}}} with kind {@code control},
 * {@code heartbeat}, {@code task}, {@code decision} or {@code result}. The format is documented in
 * {@code docs/SIMULATE.md}. Reading validates every line ({@link TraceLines}) and names the line of a fault:
 * {@code trace demo.jsonl: line 17: task.id: 'id' is required}.
 */
public final class TraceFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KIND_ORDER = List.of("control", "heartbeat", "task", "decision", "result");

    private TraceFile() {
    }

    /** Writes {@code trace} to {@code out}, one line per record. */
    public static void write(Trace trace, Writer out) throws IOException {
        Map<String, Object> head = new LinkedHashMap<>();
        head.put("trace", Trace.FORMAT);
        head.put("source", trace.source());
        head.put("from", Instant.ofEpochMilli(trace.fromMs()).toString());
        head.put("to", Instant.ofEpochMilli(trace.toMs()).toString());
        head.put("partitions", trace.partitions());
        out.write(json(head));
        out.write('\n');
        for (Line line : lines(trace)) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", line.atMs());
            m.put(line.kind(), line.body());
            out.write(json(m));
            out.write('\n');
        }
        out.flush();
    }

    /** Reads and validates the trace in {@code file}. */
    public static Trace read(Path file) {
        String name = file.getFileName().toString();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            TraceLines lines = new TraceLines();
            String text;
            int n = 0;
            while ((text = in.readLine()) != null) {
                n++;
                if (!text.isBlank()) {
                    lines.add(n, parse(text, n));
                }
            }
            return lines.trace();
        } catch (IOException e) {
            throw new ScenarioException("cannot read trace " + file + ": " + e.getMessage(), e);
        } catch (ScenarioException e) {
            throw new ScenarioException("trace " + name + ": " + e.getMessage(), e);
        }
    }

    private static Object parse(String text, int n) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("line " + n + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private record Line(long atMs, String kind, Map<String, Object> body) {
    }

    private static List<Line> lines(Trace t) {
        List<Line> lines = new ArrayList<>();
        t.controls().forEach(c -> lines.add(new Line(c.atMs(), "control", TraceLines.control(c))));
        t.heartbeats().forEach(h -> lines.add(new Line(h.atMs(), "heartbeat", TraceLines.heartbeat(h))));
        t.tasks().forEach(s -> lines.add(new Line(s.atMs(), "task", TraceLines.task(s))));
        t.decisions().forEach(d -> lines.add(new Line(d.atMs(), "decision", TraceLines.decision(d))));
        t.results().forEach(r -> lines.add(new Line(r.atMs(), "result", TraceLines.result(r))));
        lines.sort(Comparator.comparingLong(Line::atMs).thenComparingInt(l -> KIND_ORDER.indexOf(l.kind())));
        return lines;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a trace line as JSON", e);
        }
    }
}
