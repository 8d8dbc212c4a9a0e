package io.kdispatch.dispatcher.simulate;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link Trace} shows the real dispatcher and workers did, with the figures of a simulation so that
 * the two sit side by side (the {@code recorded} column): per task, the wait from its intake record to the
 * start of its successful attempt and the end-to-end time to its result; per worker, busy slot-time from the
 * results over the capacity its heartbeats declared; parks by reason from the decisions; failed and rejected
 * results as re-dispatches; affinity keys moved when a key's next task succeeded on another worker. Dead
 * letters, breaker trips and stale results are not in a trace ({@link SimResult#recorded()}).
 */
public final class RecordedResult {
    /** The label of the recorded column. */
    public static final String LABEL = "recorded";

    private RecordedResult() {
    }

    /** The recorded figures of {@code trace}. */
    public static SimResult of(Trace trace) {
        Map<String, Trace.Submitted> tasks = new LinkedHashMap<>();
        trace.tasks().forEach(s -> tasks.putIfAbsent(s.task().id(), s));
        Map<String, Trace.Result> succeeded = new HashMap<>();
        Map<String, Long> redispatched = new TreeMap<>();
        for (Trace.Result r : trace.results()) {
            if (r.status().equals("SUCCEEDED") && tasks.containsKey(r.task())) {
                succeeded.putIfAbsent(r.task(), r);
            } else if (r.status().equals("FAILED") || r.status().equals("REJECTED")) {
                redispatched.merge(r.status().toLowerCase(java.util.Locale.ROOT), 1L, Long::sum);
            }
        }
        LongList waits = new LongList();
        LongList endToEnd = new LongList();
        Map<String, Long> byWorker = new TreeMap<>();
        succeeded.forEach((id, r) -> {
            byWorker.merge(r.worker(), 1L, Long::sum);
            long at = tasks.get(id).atMs();
            waits.add(Math.max(0, r.startedAtMs() - at));
            endToEnd.add(Math.max(0, r.atMs() - at));
        });
        Map<String, Long> parkReasons = new TreeMap<>();
        long parked = 0;
        for (Trace.Decision d : trace.decisions()) {
            if (d.outcome().equals("PARKED")) {
                parked++;
                parkReasons.merge(SimMetrics.kind(d.reason() == null ? "unknown" : d.reason()), 1L, Long::sum);
            }
        }
        long[] keys = keyMoves(tasks, succeeded);
        Map<String, Double> utilisation = new LinkedHashMap<>();
        Map<String, double[]> series = new LinkedHashMap<>();
        utilisation(trace, utilisation, series);
        long duration = trace.toMs() - trace.fromMs();
        return new SimResult(LABEL, Map.of(), tasks.size(), succeeded.size(), tasks.size() - succeeded.size(),
                Map.of(), parked, parkReasons, 0, keys[0], keys[1], redispatched, 0, waits.sorted(),
                endToEnd.sorted(), byWorker, utilisation, series, Simulation.bucketMs(duration), duration, true);
    }

    /** Keys moved and keys placed: in submission order, each key's successful tasks and the worker of each. */
    private static long[] keyMoves(Map<String, Trace.Submitted> tasks, Map<String, Trace.Result> succeeded) {
        Map<String, String> workerOfKey = new HashMap<>();
        long moved = 0;
        for (Trace.Submitted s : tasks.values()) {
            Trace.Result r = succeeded.get(s.task().id());
            if (s.task().key() == null || r == null) {
                continue;
            }
            String before = workerOfKey.put(s.task().key(), r.worker());
            if (before != null && !before.equals(r.worker())) {
                moved++;
            }
        }
        return new long[] {moved, workerOfKey.size()};
    }

    /** Busy slot-time per worker that heartbeats in the range, over the capacity of its last heartbeat. */
    private static void utilisation(Trace trace, Map<String, Double> overall, Map<String, double[]> series) {
        Map<String, Integer> capacity = new TreeMap<>();
        trace.heartbeats().forEach(h -> capacity.put(h.worker(), h.capacity()));
        long bucket = Simulation.bucketMs(trace.toMs() - trace.fromMs());
        Map<String, Utilisation> busy = new TreeMap<>();
        capacity.forEach((w, c) -> busy.put(w, new Utilisation(trace.fromMs(), Math.max(trace.toMs(),
                trace.fromMs() + 1), bucket, c)));
        for (Trace.Result r : trace.results()) {
            Utilisation u = busy.get(r.worker());
            if (u != null && (r.status().equals("SUCCEEDED") || r.status().equals("FAILED"))) {
                u.busy(r.startedAtMs(), r.startedAtMs() + r.durationMs());
            }
        }
        busy.forEach((w, u) -> {
            overall.put(w, u.overall());
            series.put(w, u.series());
        });
    }

    /** The comparison of a replay: the recorded column first, as the baseline, then each simulated one. */
    public static Comparison compare(Trace trace, Scenario replay, List<SimResult> simulated, long seed) {
        List<SimResult> all = new java.util.ArrayList<>();
        all.add(of(trace));
        all.addAll(simulated);
        return new Comparison(replay, seed, all);
    }
}
