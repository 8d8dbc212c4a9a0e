package io.kdispatch.benchmarks.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The figures of one phase. Rates are records (tasks) per second counted from the outside; {@code ratio}
 * is the rate over the exactly-once baseline of the same run.
 *
 * @param name the phase, e.g. {@code dispatch} or {@code fleet-1000}
 * @param what what was measured, in words
 * @param window the measured window (records, seconds, CPU), or null for the latency phase
 * @param ratio rate over the baseline, or NaN
 * @param heap the measured processes' heap figures (summed over instances)
 * @param latencies percentiles per path, e.g. {@code intake->worker}
 * @param utilisation achieved over ideal, or NaN
 * @param note anything unusual, or empty
 */
record PhaseResult(String name, String what, RateWindow.Measurement window, double ratio, GcLog.Summary heap,
                   Map<String, OutputCounter.Percentiles> latencies, double utilisation, String note) {
    PhaseResult {
        latencies = latencies == null ? Map.of() : new LinkedHashMap<>(latencies);
        heap = heap == null ? GcLog.Summary.NONE : heap;
        note = note == null ? "" : note;
    }

    static PhaseResult failed(String name, String what, Exception e) {
        StringBuilder why = new StringBuilder("FAILED: ").append(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            why.append(" <- ").append(cause); // the root cause is what says why (a full broker, a lost node...)
        }
        return new PhaseResult(name, what, null, Double.NaN, null, null, Double.NaN, why.toString());
    }

    double rate() {
        return window == null ? Double.NaN : window.rate();
    }

    boolean failed() {
        return note.startsWith("FAILED");
    }

    PhaseResult withRatio(double baseline) {
        double r = baseline > 0 && window != null ? window.rate() / baseline : Double.NaN;
        return new PhaseResult(name, what, window, r, heap, latencies, utilisation, note);
    }
}
