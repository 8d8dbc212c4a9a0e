package io.kdispatch.benchmarks.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.kdispatch.benchmarks.profile.ProfileSummary;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The run's table on stdout and the same figures as JSON in the run directory. */
final class Report {
    private final HarnessOptions options;
    private final TaskCorpus corpus;
    private final List<PhaseResult> results;
    private final List<ProfileSummary> profiles;
    private final double seconds;

    Report(HarnessOptions options, TaskCorpus corpus, List<PhaseResult> results, List<ProfileSummary> profiles,
           double seconds) {
        this.options = options;
        this.corpus = corpus;
        this.results = List.copyOf(results);
        this.profiles = List.copyOf(profiles);
        this.seconds = seconds;
    }

    /** One line for the progress log. */
    static String summary(PhaseResult r) {
        if (r.failed()) {
            return r.note();
        }
        StringBuilder line = new StringBuilder(r.name()).append(": ");
        if (r.window() != null) {
            line.append(String.format("%,.0f/s", r.rate()));
            if (!Double.isNaN(r.ratio())) {
                line.append(String.format(" (%.3fx baseline)", r.ratio()));
            }
        }
        r.latencies().forEach((path, p) -> line.append(String.format(" %s p50/p99/p999 %d/%d/%d ms", path,
                p.p50(), p.p99(), p.p999())));
        if (!Double.isNaN(r.utilisation())) {
            line.append(String.format(", utilisation %.1f%%", r.utilisation() * 100));
        }
        return r.note().isEmpty() ? line.toString() : line + " [" + r.note() + "]";
    }

    void print(PrintStream out) {
        out.println();
        out.printf("%-20s %10s %8s %9s %11s %14s %-26s %-26s %6s  %s%n", "phase", "rate/s", "x base",
                "cpu us/t", "heap MB", "window", "intake->worker p50/99/999", "intake->result p50/99/999",
                "util", "what");
        for (PhaseResult r : results) {
            RateWindow.Measurement w = r.window();
            out.printf("%-20s %10s %8s %9s %11s %14s %-26s %-26s %6s  %s%n", r.name(),
                    w == null ? "" : String.format("%,.0f", w.rate()),
                    Double.isNaN(r.ratio()) ? "" : String.format("%.3f", r.ratio()),
                    w == null || Double.isNaN(w.cpuMicrosPerRecord()) ? "" : String.format("%.0f",
                            w.cpuMicrosPerRecord()),
                    r.heap().pauses() == 0 ? "" : r.heap().peakUsedMb() + "/" + r.heap().peakLiveMb(),
                    w == null ? "" : String.format("%.1fs/%,d", w.seconds(), w.records()),
                    latency(r, "intake->worker"), latency(r, "intake->result"),
                    Double.isNaN(r.utilisation()) ? "" : String.format("%.1f%%", r.utilisation() * 100),
                    r.what() + (r.note().isEmpty() ? "" : " [" + r.note() + "]"));
        }
        out.printf("heap MB = peak used / peak live after GC, from the GC log; cpu us/t = CPU time of the "
                + "measured processes in the window per record; run took %.0f s%n", seconds);
        for (ProfileSummary profile : profiles) {
            profile.print(out, cpuPerTask(profile));
        }
    }

    private static String latency(PhaseResult r, String path) {
        OutputCounter.Percentiles p = r.latencies().get(path);
        return p == null ? "" : p.p50() + "/" + p.p99() + "/" + p.p999() + " ms";
    }

    /** CPU per task of the phase a profile was taken in, to turn shares into microseconds. */
    private double cpuPerTask(ProfileSummary profile) {
        return results.stream().filter(r -> r.window() != null && profile.source().getFileName().toString()
                        .startsWith(r.name() + "-dispatcher"))
                .mapToDouble(r -> r.window().cpuMicrosPerRecord()).findFirst().orElse(Double.NaN);
    }

    Path writeJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("finishedAt", Instant.now().toString());
        json.put("runSeconds", Math.round(seconds));
        json.put("machine", Map.of("cores", Runtime.getRuntime().availableProcessors(),
                "java", System.getProperty("java.version")));
        json.put("tasks", corpus.size());
        json.put("recordBytes", corpus.meanValueBytes());
        json.put("partitions", options.partitions());
        json.put("warmup", options.rate().warmup().toString());
        json.put("warmupShare", options.rate().warmupShare());
        json.put("window", options.rate().window().toString());
        json.put("dispatcherSettings", options.dispatcherSettings());
        List<Map<String, Object>> phases = new ArrayList<>();
        results.forEach(r -> phases.add(phase(r)));
        json.put("phases", phases);
        List<Map<String, Object>> summaries = new ArrayList<>();
        profiles.forEach(p -> summaries.add(p.toJson(cpuPerTask(p))));
        json.put("profiles", summaries);
        Path file = options.runDir().resolve("e2e.json");
        try {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), json);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    private static Map<String, Object> phase(PhaseResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("what", r.what());
        RateWindow.Measurement w = r.window();
        if (w != null) {
            m.put("ratePerSecond", finite(w.rate()));
            m.put("ratioToBaseline", finite(r.ratio()));
            m.put("windowRecords", w.records());
            m.put("windowSeconds", w.seconds());
            m.put("cpuMicrosPerRecord", finite(w.cpuMicrosPerRecord()));
        }
        if (r.heap().pauses() > 0) {
            m.put("heapPeakUsedMb", r.heap().peakUsedMb());
            m.put("heapPeakLiveMb", r.heap().peakLiveMb());
            m.put("gcPauses", r.heap().pauses());
            m.put("gcPauseMs", r.heap().pauseMs());
        }
        Map<String, Object> latencies = new LinkedHashMap<>();
        r.latencies().forEach((path, p) -> latencies.put(path, Map.of("count", p.count(), "p50Ms", p.p50(),
                "p99Ms", p.p99(), "p999Ms", p.p999(), "maxMs", p.max())));
        if (!latencies.isEmpty()) {
            m.put("latency", latencies);
        }
        if (!Double.isNaN(r.utilisation())) {
            m.put("utilisation", r.utilisation());
        }
        m.put("note", r.note());
        return m;
    }

    private static Object finite(double value) {
        return Double.isFinite(value) ? value : null;
    }
}
