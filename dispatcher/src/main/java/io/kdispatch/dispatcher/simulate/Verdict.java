package io.kdispatch.dispatcher.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The short verdict of a comparison, one line per configuration after the baseline, naming what changed
 * and by how much: {@code least-loaded: p99 wait 41% lower, 3.0× more key moves}. With one configuration,
 * one line that sums it up.
 */
final class Verdict {
    private Verdict() {
    }

    static List<String> lines(Comparison c) {
        SimResult base = c.results().get(0);
        List<String> lines = new ArrayList<>();
        if (c.results().size() == 1) {
            lines.add(base.label() + ": completed " + base.completed() + " of " + base.arrived() + ", p99 wait "
                    + SimResult.percentile(base.waits(), 0.99) + " ms, " + base.keysMoved() + " key moves, "
                    + base.breakerTrips() + " breaker trips, " + base.deadLettered() + " dead letters");
            return lines;
        }
        for (SimResult r : c.results().subList(1, c.results().size())) {
            List<String> parts = new ArrayList<>();
            parts.add(change("p99 wait", SimResult.percentile(base.waits(), 0.99), SimResult.percentile(r.waits(), 0.99),
                    " ms"));
            parts.add(change("p99 end-to-end", SimResult.percentile(base.endToEnd(), 0.99),
                    SimResult.percentile(r.endToEnd(), 0.99), " ms"));
            ratio(parts, "key moves", base.keysMoved(), r.keysMoved());
            double bs = base.utilisationStdDev();
            double rs = r.utilisationStdDev();
            if (Math.abs(bs - rs) >= 0.001) {
                parts.add(change("utilisation spread", Math.round(bs * 1000), Math.round(rs * 1000), ""));
            }
            difference(parts, "completed", base.completed(), r.completed());
            if (!base.recorded() && !r.recorded()) { // a trace carries neither
                difference(parts, "dead letters", base.deadLettered(), r.deadLettered());
                difference(parts, "breaker trips", base.breakerTrips(), r.breakerTrips());
            }
            difference(parts, "parked", base.parked(), r.parked());
            lines.add(r.label() + " vs " + base.label() + ": " + String.join(", ", parts));
        }
        return lines;
    }

    private static String change(String what, long base, long value, String unit) {
        if (base == value) {
            return what + " the same";
        }
        if (base == 0) {
            return what + " " + value + unit + " instead of 0";
        }
        long pct = Math.round(100.0 * Math.abs(value - base) / base);
        return what + " " + pct + "% " + (value < base ? "lower" : "higher");
    }

    private static void ratio(List<String> parts, String what, long base, long value) {
        if (base == value) {
            return;
        }
        if (base == 0 || value == 0) {
            parts.add(value + " " + what + " instead of " + base);
            return;
        }
        double r = value > base ? (double) value / base : (double) base / value;
        parts.add(String.format(Locale.ROOT, "%.1f× %s %s", r, value > base ? "more" : "fewer", what));
    }

    private static void difference(List<String> parts, String what, long base, long value) {
        if (base != value) {
            parts.add(Math.abs(value - base) + (value > base ? " more " : " fewer ") + what);
        }
    }
}
