package io.kdispatch.dispatcher.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A {@link CapacityPlanner.Answer} as a sentence and a table of the probes, or as JSON. */
public final class CapacityReport {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private CapacityReport() {
    }

    /** The sentence that answers, then one row per count simulated. */
    public static String text(CapacityPlanner.Answer a, String scenario) {
        StringBuilder out = new StringBuilder();
        String rate = String.format(Locale.ROOT, "%.1f tasks/s", a.arrivalsPerSecond());
        if (a.needed() < 0) {
            out.append("Capacity for kind ").append(a.kind().name()).append(" in ").append(scenario)
                    .append(": even ").append(a.maxWorkers()).append(" workers (now ").append(a.current())
                    .append(") do not keep the p99 wait at or under ").append(a.targetP99WaitMs()).append(" ms at ")
                    .append(rate).append("; raise --max-workers, or the bottleneck is elsewhere.\n");
        } else {
            out.append("Capacity for kind ").append(a.kind().name()).append(" in ").append(scenario).append(": ")
                    .append(a.needed()).append(a.needed() == 1 ? " worker" : " workers").append(" (now ")
                    .append(a.current()).append(") keep the p99 wait at or under ").append(a.targetP99WaitMs())
                    .append(" ms at ").append(rate).append(".\n");
        }
        out.append(String.format(Locale.ROOT, "%n%8s  %12s  %10s  %s%n", "workers", "p99 wait ms", "unfinished",
                "passes"));
        for (CapacityPlanner.Probe p : a.probes()) {
            out.append(String.format(Locale.ROOT, "%8d  %12d  %10d  %s%n", p.workers(), p.p99WaitMs(), p.unfinished(),
                    p.passed() ? "yes" : "no"));
        }
        return out.toString();
    }

    /** Every figure of the answer as JSON; {@code needed} is -1 when even the maximum does not do. */
    public static String json(CapacityPlanner.Answer a, String scenario) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("kind", a.kind().name());
        m.put("targetP99WaitMs", a.targetP99WaitMs());
        m.put("needed", a.needed());
        m.put("current", a.current());
        m.put("maxWorkers", a.maxWorkers());
        m.put("arrivalsPerSecond", JsonReport.round(a.arrivalsPerSecond()));
        List<Object> probes = new ArrayList<>();
        for (CapacityPlanner.Probe p : a.probes()) {
            Map<String, Object> pm = new LinkedHashMap<>();
            pm.put("workers", p.workers());
            pm.put("p99WaitMs", p.p99WaitMs());
            pm.put("unfinished", p.unfinished());
            pm.put("passed", p.passed());
            probes.add(pm);
        }
        m.put("probes", probes);
        try {
            return JSON.writeValueAsString(m) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the answer as JSON", e);
        }
    }
}
