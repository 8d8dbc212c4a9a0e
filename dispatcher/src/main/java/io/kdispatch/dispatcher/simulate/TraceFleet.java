package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.simulate.Scenario.Selector;
import io.kdispatch.dispatcher.simulate.Scenario.WorkerGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The fleet of a {@link Trace}: one worker per worker ID that heartbeats in the range, with the capacity,
 * labels, weight and queue bound of its last heartbeat; its service times per task type from its own
 * results (when it has {@value #MIN_SAMPLES} or more, else the type's over the fleet); its failure rate per
 * window of time from its results; and its life: it joins when it first heartbeats (if after the start),
 * restarts when its incarnation changes or it heartbeats again after a silence, and dies when it falls
 * silent for three intervals or says it is LEAVING.
 */
final class TraceFleet {
    /** Observations of a worker and task type below which the type's fleet-wide durations are used. */
    static final int MIN_SAMPLES = 20;
    /** Results in a window below which a worker's failure rate is left as it was. */
    private static final int MIN_WINDOW_RESULTS = 5;
    private static final double FAILURE_STEP = 0.1;

    private final Trace trace;
    private final Map<String, String> typeOfTask;
    private final Map<String, List<Trace.Heartbeat>> beats = new TreeMap<>();
    private final Map<String, List<Trace.Result>> resultsByWorker = new TreeMap<>();
    private final List<WorkerGroup> groups = new ArrayList<>();
    private final List<Scenario.Event> events = new ArrayList<>();
    private final long heartbeatMs;

    TraceFleet(Trace trace, Map<String, String> typeOfTask) {
        this.trace = trace;
        this.typeOfTask = typeOfTask;
        trace.heartbeats().forEach(h -> beats.computeIfAbsent(h.worker(), w -> new ArrayList<>()).add(h));
        trace.results().forEach(r -> resultsByWorker.computeIfAbsent(r.worker(), w -> new ArrayList<>()).add(r));
        long[] intervals = trace.heartbeats().stream().mapToLong(Trace.Heartbeat::intervalMs).sorted().toArray();
        heartbeatMs = intervals.length == 0 ? 1_000 : Math.max(10, Math.min(60_000, intervals[intervals.length / 2]));
        beats.forEach((id, hs) -> {
            List<Trace.Result> rs = resultsByWorker.getOrDefault(id, List.of());
            double[] failures = failureWindows(rs);
            Trace.Heartbeat last = hs.get(hs.size() - 1);
            groups.add(new WorkerGroup(id, 1, last.capacity(), last.maxQueued() < 0 ? 1_000 : last.maxQueued(),
                    last.labels(), Math.max(0.001, last.weight()), 1.0, failures.length == 0 ? 0 : failures[0],
                    ownServiceTimes(rs), true));
            life(id, hs);
            degrade(id, failures);
        });
    }

    List<WorkerGroup> groups() {
        return groups;
    }

    List<Scenario.Event> events() {
        return events;
    }

    long heartbeatMs() {
        return heartbeatMs;
    }

    /** The durations of {@code type} over the fleet, or over every type when it has none, or 1 ms. */
    Distribution serviceTime(String type) {
        double[] ofType = durations(trace.results(), type);
        if (ofType.length > 0) {
            return new Distribution.Empirical(ofType);
        }
        double[] all = durations(trace.results(), null);
        return all.length > 0 ? new Distribution.Empirical(all) : new Distribution.Fixed(1);
    }

    private Map<String, Distribution> ownServiceTimes(List<Trace.Result> rs) {
        Map<String, Distribution> out = new TreeMap<>();
        for (String type : new java.util.TreeSet<>(typeOfTask.values())) {
            double[] d = durations(rs, type);
            if (d.length >= MIN_SAMPLES) {
                out.put(type, new Distribution.Empirical(d));
            }
        }
        return out;
    }

    /** Durations of finished attempts (succeeded or failed) of {@code type} (null: any), in trace order. */
    private double[] durations(List<Trace.Result> rs, String type) {
        return rs.stream().filter(TraceFleet::ran)
                .filter(r -> type == null || type.equals(typeOfTask.get(r.task())))
                .mapToDouble(Trace.Result::durationMs).toArray();
    }

    private static boolean ran(Trace.Result r) {
        return r.status().equals("SUCCEEDED") || r.status().equals("FAILED");
    }

    /** Joins, restarts and deaths, from the worker's heartbeats. */
    private void life(String id, List<Trace.Heartbeat> hs) {
        Selector me = new Selector(List.of(id), Map.of());
        long silence = 3 * heartbeatMs;
        Trace.Heartbeat first = hs.get(0);
        if (first.atMs() - trace.fromMs() > 2 * heartbeatMs) {
            events.add(new Scenario.Join(rel(first.atMs()), me));
        }
        boolean alive = true;
        Trace.Heartbeat prev = first;
        for (Trace.Heartbeat h : hs.subList(1, hs.size())) {
            boolean gap = h.atMs() - prev.atMs() > silence;
            boolean newIncarnation = h.incarnation() != prev.incarnation();
            if (alive && gap) {
                events.add(new Scenario.Kill(rel(prev.atMs() + heartbeatMs), me));
                alive = false;
            }
            if ((!alive || newIncarnation) && !h.status().equals("LEAVING")) {
                events.add(new Scenario.Restart(rel(h.atMs()), me));
                alive = true;
            }
            if (alive && h.status().equals("LEAVING")) {
                events.add(new Scenario.Kill(rel(h.atMs()), me));
                alive = false;
            }
            prev = h;
        }
        if (alive && trace.toMs() - prev.atMs() > silence) {
            events.add(new Scenario.Kill(rel(prev.atMs() + heartbeatMs), me));
        }
    }

    /** A degrade event whenever the worker's failure rate moves by a tenth or more from one window to the next. */
    private void degrade(String id, double[] failures) {
        double current = failures.length == 0 ? 0 : failures[0];
        for (int i = 1; i < failures.length; i++) {
            if (Math.abs(failures[i] - current) >= FAILURE_STEP) {
                current = failures[i];
                events.add(new Scenario.Degrade(i * windowMs(), new Selector(List.of(id), Map.of()), current, null));
            }
        }
    }

    /** The worker's share of failed attempts per window; a window with too few results keeps the one before. */
    private double[] failureWindows(List<Trace.Result> rs) {
        long window = windowMs();
        int n = (int) Math.max(1, (trace.toMs() - trace.fromMs() + window - 1) / window);
        long[] failed = new long[n];
        long[] ran = new long[n];
        for (Trace.Result r : rs) {
            if (ran(r)) {
                int w = (int) Math.max(0, Math.min(n - 1, (r.atMs() - trace.fromMs()) / window));
                ran[w]++;
                failed[w] += r.status().equals("FAILED") ? 1 : 0;
            }
        }
        double[] share = new double[n];
        double last = 0;
        for (int i = 0; i < n; i++) {
            last = ran[i] >= MIN_WINDOW_RESULTS ? (double) failed[i] / ran[i] : last;
            share[i] = last;
        }
        return rs.isEmpty() ? new double[0] : Arrays.copyOf(share, n);
    }

    /** Windows of a twentieth of the range, at least 5 s. */
    private long windowMs() {
        return Math.max(5_000, (trace.toMs() - trace.fromMs()) / 20);
    }

    private long rel(long atMs) {
        return Math.max(0, Math.min(atMs, trace.toMs()) - trace.fromMs());
    }
}
