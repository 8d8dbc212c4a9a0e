package io.kdispatch.dispatcher.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The comparison as JSON: the scenario, the seed, per configuration every figure of the table plus the
 * per-worker utilisation, its series over time and the wait-time histogram, and the verdict. Keys are in a
 * fixed order and numbers rounded, so the same run gives the same bytes.
 */
public final class JsonReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private JsonReport() {
    }

    public static String render(Comparison c) {
        Map<String, Object> root = new LinkedHashMap<>();
        Scenario s = c.scenario();
        Map<String, Object> scenario = new LinkedHashMap<>();
        scenario.put("name", s.name());
        scenario.put("description", s.description());
        scenario.put("workers", s.workerCount());
        scenario.put("durationMs", s.durationMs());
        root.put("scenario", scenario);
        root.put("seed", c.seed());
        List<Object> configs = new ArrayList<>();
        c.results().forEach(r -> configs.add(config(r)));
        root.put("configurations", configs);
        root.put("verdict", Verdict.lines(c));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report as JSON", e);
        }
    }

    private static Map<String, Object> config(SimResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", r.label());
        m.put("settings", r.settings());
        m.put("arrived", r.arrived());
        m.put("completed", r.completed());
        m.put("unfinished", r.unfinished());
        m.put("completedByWorker", r.completedByWorker());
        m.put("recorded", r.recorded());
        m.put("deadLetters", r.recorded() ? null : r.deadLetters()); // null: not in a trace
        m.put("waitMs", percentiles(r.waits()));
        m.put("endToEndMs", percentiles(r.endToEnd()));
        m.put("utilisation", utilisation(r));
        m.put("affinityKeysMoved", r.keysMoved());
        m.put("affinityKeysPlaced", r.keysPlaced());
        m.put("parked", r.parked());
        m.put("parkedByReason", r.parkReasons());
        m.put("breakerTrips", r.recorded() ? null : r.breakerTrips());
        m.put("redispatched", r.redispatched());
        m.put("staleResults", r.recorded() ? null : r.staleResults());
        m.put("waitHistogram", histogram(r.waits()));
        m.put("simulatedMs", r.simulatedMs());
        return m;
    }

    private static Map<String, Object> utilisation(SimResult r) {
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("mean", round(r.utilisationMean()));
        u.put("min", round(r.utilisationMin()));
        u.put("max", round(r.utilisationMax()));
        u.put("stddev", round(r.utilisationStdDev()));
        Map<String, Object> perWorker = new LinkedHashMap<>();
        r.utilisation().forEach((w, v) -> perWorker.put(w, round(v)));
        u.put("perWorker", perWorker);
        u.put("bucketMs", r.bucketMs());
        Map<String, Object> series = new LinkedHashMap<>();
        r.series().forEach((w, v) -> {
            List<Double> values = new ArrayList<>();
            for (double d : v) {
                values.add(round(d));
            }
            series.put(w, values);
        });
        u.put("series", series);
        return u;
    }

    private static Map<String, Object> percentiles(long[] sorted) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("p50", SimResult.percentile(sorted, 0.5));
        p.put("p99", SimResult.percentile(sorted, 0.99));
        p.put("p999", SimResult.percentile(sorted, 0.999));
        p.put("max", sorted.length == 0 ? 0 : sorted[sorted.length - 1]);
        return p;
    }

    /** Counts per bucket: bucket {@code "<x"} holds the waits below x ms and at or above the previous bound. */
    static Map<String, Long> histogram(long[] sorted) {
        Map<String, Long> out = new LinkedHashMap<>();
        long[] bounds = Histogram.bounds();
        long[] counts = Histogram.counts(sorted);
        for (int i = 0; i < counts.length; i++) {
            out.put(i < bounds.length ? "<" + bounds[i] : ">=" + bounds[bounds.length - 1], counts[i]);
        }
        return out;
    }

    static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
