package io.kdispatch.benchmarks.profile;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where a process's CPU went, from async-profiler's collapsed stacks ({@code thread;frame;...;leaf count}):
 * every sample is charged to exactly one <em>place</em> ({@link Places}), so the shares add up to the
 * whole process, native RocksDB time, the JIT compiler and the garbage collector included. A second view
 * lists the product's own methods by inclusive share (a sample counts for every one of them on its stack).
 */
public final class ProfileSummary {
    private static final int TOP = 10;

    private final Path source;
    private final long total;
    private final Map<String, Long> places;
    private final Map<String, Long> threads;
    private final Map<String, Long> inclusive;

    private ProfileSummary(Path source, long total, Map<String, Long> places, Map<String, Long> threads,
                           Map<String, Long> inclusive) {
        this.source = source;
        this.total = total;
        this.places = sorted(places);
        this.threads = sorted(threads);
        this.inclusive = sorted(inclusive);
    }

    /** Reads one collapsed-stack file (async-profiler with {@code collapsed,threads}). */
    public static ProfileSummary read(Path file) {
        Map<String, Long> places = new TreeMap<>();
        Map<String, Long> threads = new TreeMap<>();
        Map<String, Long> inclusive = new TreeMap<>();
        long total = 0;
        try {
            for (String line : Files.readAllLines(file)) {
                int space = line.lastIndexOf(' ');
                if (space <= 0) {
                    continue;
                }
                long samples = Long.parseLong(line.substring(space + 1).trim());
                String[] frames = line.substring(0, space).split(";");
                total += samples;
                places.merge(Places.of(frames), samples, Long::sum);
                threads.merge(Places.threadGroup(frames), samples, Long::sum);
                Set<String> ours = new HashSet<>();
                for (String frame : frames) {
                    if (Places.isProduct(frame)) {
                        ours.add(Places.method(frame));
                    }
                }
                ours.forEach(m -> inclusive.merge(m, samples, Long::sum));
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot read collapsed stacks from " + file + ": " + e, e);
        }
        return new ProfileSummary(file, total, places, threads, inclusive);
    }

    public Path source() {
        return source;
    }

    /**
     * Prints the summary.
     *
     * @param cpuMicrosPerTask the process's CPU per task in the profiled window, to show each place's
     *                         microseconds per task; NaN when unknown
     */
    public void print(PrintStream out, double cpuMicrosPerTask) {
        out.printf("%nProfile %s: %,d samples (itimer, 5 ms of CPU each)%n", source.getFileName(), total);
        out.printf("  where the CPU goes (each sample counted once)%s%n",
                Double.isNaN(cpuMicrosPerTask) ? "" : String.format(", of %.0f us per task", cpuMicrosPerTask));
        int rank = 0;
        long shown = 0;
        for (Map.Entry<String, Long> place : places.entrySet()) {
            if (++rank > TOP) {
                break;
            }
            shown += place.getValue();
            out.printf("  %2d. %5.1f%% %s %s%n", rank, share(place.getValue()),
                    perTask(place.getValue(), cpuMicrosPerTask), place.getKey());
        }
        out.printf("      %5.1f%% %s everything else%n", share(total - shown), perTask(total - shown, cpuMicrosPerTask));
        out.println("  by thread: " + String.join(", ", threads.entrySet().stream()
                .map(e -> String.format("%s %.1f%%", e.getKey(), share(e.getValue()))).toList()));
        out.println("  product methods, inclusive:");
        inclusive.entrySet().stream().limit(TOP).forEach(e ->
                out.printf("       %5.1f%% %s%n", share(e.getValue()), e.getKey()));
    }

    /** The same figures for the JSON report. */
    public Map<String, Object> toJson(double cpuMicrosPerTask) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", source.toString());
        json.put("samples", total);
        json.put("cpuMicrosPerTask", Double.isFinite(cpuMicrosPerTask) ? cpuMicrosPerTask : null);
        List<Map<String, Object>> top = new ArrayList<>();
        places.forEach((place, n) -> top.add(Map.of("place", place, "share", share(n) / 100)));
        json.put("places", top);
        Map<String, Object> byThread = new LinkedHashMap<>();
        threads.forEach((group, n) -> byThread.put(group, share(n) / 100));
        json.put("threads", byThread);
        Map<String, Object> methods = new LinkedHashMap<>();
        inclusive.entrySet().stream().limit(30).forEach(e -> methods.put(e.getKey(), share(e.getValue()) / 100));
        json.put("productMethodsInclusive", methods);
        return json;
    }

    private double share(long samples) {
        return total == 0 ? 0 : 100.0 * samples / total;
    }

    private String perTask(long samples, double cpuMicrosPerTask) {
        return Double.isNaN(cpuMicrosPerTask) ? "" : String.format("%6.1f us", cpuMicrosPerTask * samples / total);
    }

    private static Map<String, Long> sorted(Map<String, Long> counts) {
        Map<String, Long> out = new LinkedHashMap<>();
        counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** Command-line use: {@code profile-summary FILE...}. */
    public static void main(String[] args) {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: profile-summary COLLAPSED_FILE...");
        }
        for (String arg : args) {
            read(Path.of(arg)).print(System.out, Double.NaN);
        }
    }
}
