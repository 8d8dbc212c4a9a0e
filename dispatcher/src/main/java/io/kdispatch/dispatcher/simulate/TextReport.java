package io.kdispatch.dispatcher.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The comparison as a plain-text table for a terminal: one column per configuration (and, replaying a trace,
 * the recorded column first), then the verdict. A figure a trace does not carry shows as {@value #UNKNOWN}.
 */
public final class TextReport {
    /** Per-worker utilisation rows are listed up to this many workers. */
    static final int MAX_WORKER_ROWS = 24;
    /** A figure the recorded column cannot know (not in a trace). */
    static final String UNKNOWN = "-";

    private TextReport() {
    }

    public static String render(Comparison c) {
        List<SimResult> rs = c.results();
        List<String[]> rows = new ArrayList<>();
        rows.add(row("", rs, SimResult::label));
        rows.add(row("arrived", rs, r -> num(r.arrived())));
        rows.add(row("completed", rs, r -> num(r.completed())));
        rows.add(row("unfinished at the end", rs, r -> num(r.unfinished())));
        rows.add(row("dead letters", rs, r -> r.recorded() ? UNKNOWN : num(r.deadLettered())));
        rows.add(row("wait p50 / p99 / p999 ms", rs, r -> percentiles(r.waits())));
        rows.add(row("end-to-end p50 / p99 / p999 ms", rs, r -> percentiles(r.endToEnd())));
        rows.add(row("utilisation mean", rs, r -> pct(r.utilisationMean())));
        rows.add(row("utilisation min .. max", rs, r -> pct(r.utilisationMin()) + " .. " + pct(r.utilisationMax())));
        rows.add(row("utilisation spread (stddev)", rs, r -> pct(r.utilisationStdDev())));
        rows.add(row("affinity keys moved", rs, r -> num(r.keysMoved())));
        rows.add(row("tasks parked", rs, r -> num(r.parked())));
        rows.add(row("breaker trips", rs, r -> r.recorded() ? UNKNOWN : num(r.breakerTrips())));
        rows.add(row("re-dispatched", rs, r -> num(r.redispatched().values().stream().mapToLong(Long::longValue).sum())));
        rows.add(row("stale results ignored", rs, r -> r.recorded() ? UNKNOWN : num(r.staleResults())));
        StringBuilder out = new StringBuilder();
        Scenario s = c.scenario();
        out.append("Scenario ").append(s.name()).append(": ").append(s.workerCount()).append(" workers, ")
                .append(s.durationMs() / 1000.0).append(" s of arrivals, seed ").append(c.seed()).append('\n');
        if (!s.description().isEmpty()) {
            out.append(s.description()).append('\n');
        }
        out.append('\n');
        table(out, rows);
        breakdown(out, "Parked, by reason", rs, SimResult::parkReasons);
        breakdown(out, "Dead letters, by reason", rs.stream().filter(r -> !r.recorded()).toList(),
                SimResult::deadLetters);
        breakdown(out, "Re-dispatched, by why", rs, SimResult::redispatched);
        if (s.workerCount() <= MAX_WORKER_ROWS) {
            workers(out, rs);
        }
        out.append("\nVerdict:\n");
        Verdict.lines(c).forEach(line -> out.append("  ").append(line).append('\n'));
        return out.toString();
    }

    /** Per worker: utilisation, then the tasks completed there and their share. */
    private static void workers(StringBuilder out, List<SimResult> rs) {
        List<String[]> workers = new ArrayList<>();
        workers.add(row("utilisation per worker", rs, SimResult::label));
        List<String[]> shares = new ArrayList<>();
        shares.add(row("completed per worker", rs, SimResult::label));
        for (String w : rs.get(0).utilisation().keySet()) {
            workers.add(row(w, rs, r -> pct(r.utilisation().get(w))));
            shares.add(row(w, rs, r -> r.completedByWorker().getOrDefault(w, 0L) + " (" + pct(r.share(w)) + ")"));
        }
        out.append('\n');
        table(out, workers);
        out.append('\n');
        table(out, shares);
    }

    private static void breakdown(StringBuilder out, String title, List<SimResult> rs,
                                  Function<SimResult, Map<String, Long>> counts) {
        TreeSet<String> keys = new TreeSet<>();
        rs.forEach(r -> keys.addAll(counts.apply(r).keySet()));
        if (keys.isEmpty() || rs.isEmpty()) {
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(row(title, rs, SimResult::label));
        for (String k : keys) {
            rows.add(row("  " + k, rs, r -> num(counts.apply(r).getOrDefault(k, 0L))));
        }
        out.append('\n');
        table(out, rows);
    }

    private static String[] row(String name, List<SimResult> rs, Function<SimResult, String> cell) {
        String[] row = new String[rs.size() + 1];
        row[0] = name;
        for (int i = 0; i < rs.size(); i++) {
            row[i + 1] = cell.apply(rs.get(i));
        }
        return row;
    }

    private static void table(StringBuilder out, List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == 0 ? pad(r[i], widths[i]) : "  " + padLeft(r[i], widths[i]));
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
    }

    static String percentiles(long[] sorted) {
        return SimResult.percentile(sorted, 0.5) + " / " + SimResult.percentile(sorted, 0.99) + " / "
                + SimResult.percentile(sorted, 0.999);
    }

    static String pct(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    private static String num(long n) {
        return Long.toString(n);
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return " ".repeat(width - s.length()) + s;
    }
}
