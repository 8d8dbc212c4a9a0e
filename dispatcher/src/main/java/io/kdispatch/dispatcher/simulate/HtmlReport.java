package io.kdispatch.dispatcher.simulate;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The comparison as one self-contained HTML page: the verdict, a chart of the wait-time distribution of
 * every configuration, per configuration a heat map of each worker's utilisation over time, then the table.
 * The charts come first so that they are on the first screen. Charts are inline SVG; the page loads nothing
 * from anywhere.
 */
public final class HtmlReport {
    private static final String[] COLOURS = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
            "#e377c2", "#7f7f7f"};
    private static final int HEAT_WIDTH = 720;

    private HtmlReport() {
    }

    public static String render(Comparison c) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Simulation: ")
                .append(esc(c.scenario().name())).append("</title>\n<style>body{font-family:sans-serif;margin:2em;}"
                        + "pre{background:#f6f6f6;padding:1em;overflow-x:auto;}svg text{font-size:11px;font-family:sans-serif;}"
                        + "</style></head><body>\n");
        h.append("<h1>Simulation: ").append(esc(c.scenario().name())).append("</h1>\n");
        if (!c.scenario().description().isEmpty()) {
            h.append("<p>").append(esc(c.scenario().description())).append("</p>\n");
        }
        h.append("<h2>Verdict</h2>\n<ul>\n");
        Verdict.lines(c).forEach(v -> h.append("<li>").append(esc(v)).append("</li>\n"));
        h.append("</ul>\n<h2>Wait-time distribution</h2>\n<p>Share of completed tasks by wait (submission to the start of "
                + "the successful attempt), in milliseconds.</p>\n");
        waitChart(h, c.results());
        h.append("<h2>Utilisation over time per worker</h2>\n<p>Busy slots over capacity per ")
                .append(c.results().get(0).bucketMs() / 1000.0).append(" s; white is idle (or dead), dark is full.</p>\n");
        for (SimResult r : c.results()) {
            h.append("<h3>").append(esc(r.label())).append("</h3>\n");
            heatMap(h, r);
        }
        h.append("<h2>Figures</h2>\n<pre>").append(esc(TextReport.render(c))).append("</pre>\n");
        return h.append("</body></html>\n").toString();
    }

    private static void waitChart(StringBuilder h, List<SimResult> rs) {
        long[] bounds = Histogram.bounds();
        long[][] counts = new long[rs.size()][];
        int buckets = 1;
        for (int i = 0; i < rs.size(); i++) {
            counts[i] = Histogram.counts(rs.get(i).waits());
            buckets = Math.max(buckets, counts[i].length);
        }
        double top = 0.01;
        for (int i = 0; i < rs.size(); i++) {
            for (long n : counts[i]) {
                top = Math.max(top, share(n, rs.get(i).waits().length));
            }
        }
        int groupW = Math.max(40, 8 * rs.size() + 8); // wide enough for a label such as "<5000"
        int width = 60 + buckets * groupW + 20;
        int height = 260;
        int plotH = 200;
        h.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n",
                width, height + 20 * rs.size()));
        for (int tick = 0; tick <= 4; tick++) {
            double y = 10 + plotH - plotH * tick / 4.0;
            h.append(String.format(Locale.ROOT, "<line x1=\"55\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"50\" y=\"%.1f\" text-anchor=\"end\">%.0f%%</text>%n", y, width - 10, y, y + 4,
                    top * tick / 4 * 100));
        }
        for (int b = 0; b < buckets; b++) {
            int x0 = 60 + b * groupW;
            for (int i = 0; i < rs.size(); i++) {
                long n = b < counts[i].length ? counts[i][b] : 0;
                double barH = plotH * share(n, rs.get(i).waits().length) / top;
                h.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"7\" height=\"%.1f\" fill=\"%s\">"
                        + "<title>%s: %d</title></rect>%n", x0 + 4 + 8 * i, 10 + plotH - barH, barH,
                        COLOURS[i % COLOURS.length], esc(rs.get(i).label()), n));
            }
            String label = b < bounds.length ? "<" + bounds[b] : ">=" + bounds[bounds.length - 1];
            h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>%n",
                    x0 + groupW / 2, 10 + plotH + 15, esc(label)));
        }
        for (int i = 0; i < rs.size(); i++) {
            int y = height + 20 * i;
            h.append(String.format(Locale.ROOT, "<rect x=\"60\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"78\" y=\"%d\">%s</text>%n", y - 10, COLOURS[i % COLOURS.length], y,
                    esc(rs.get(i).label())));
        }
        h.append("</svg>\n");
    }

    private static void heatMap(StringBuilder h, SimResult r) {
        Map<String, double[]> series = r.series();
        int rowH = series.size() > 40 ? 4 : 14;
        int labelW = rowH >= 12 ? 90 : 10;
        int columns = series.values().stream().mapToInt(v -> v.length).max().orElse(1);
        double cellW = (double) HEAT_WIDTH / columns;
        int height = rowH * series.size() + 30;
        h.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\">%n",
                labelW + HEAT_WIDTH + 30, height)); // room for the last time label
        int row = 0;
        for (Map.Entry<String, double[]> e : series.entrySet()) {
            int y = row++ * rowH;
            if (labelW > 10) {
                h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n",
                        labelW - 4, y + rowH - 3, esc(e.getKey())));
            }
            double[] v = e.getValue();
            for (int i = 0; i < v.length; i++) {
                h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                        + "<title>%s %.0f s: %.0f%%</title></rect>%n", labelW + i * cellW, y, cellW + 0.2, rowH,
                        colour(v[i]), esc(e.getKey()), i * r.bucketMs() / 1000.0, v[i] * 100));
            }
        }
        long seconds = r.bucketMs() * columns / 1000;
        for (int t = 0; t <= 4; t++) {
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d s</text>%n",
                    labelW + HEAT_WIDTH * t / 4.0, height - 8, seconds * t / 4));
        }
        h.append("</svg>\n");
    }

    /** White at 0, dark blue at 1. */
    private static String colour(double u) {
        double f = Math.max(0, Math.min(1, u));
        int r = (int) Math.round(255 - f * (255 - 8));
        int g = (int) Math.round(255 - f * (255 - 48));
        int b = (int) Math.round(255 - f * (255 - 107));
        return String.format(Locale.ROOT, "#%02x%02x%02x", r, g, b);
    }

    private static double share(long n, int total) {
        return total == 0 ? 0 : (double) n / total;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
