package io.kdispatch.dispatcher.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * How many workers of a kind keep the p99 wait under a target at the arrival rate of a scenario or trace: the
 * scenario is simulated with the kind resized ({@link WorkerKind#resize}) to a count, probing counts by doubling
 * from the current one (or halving, when it already suffices) and then bisecting, until the least count that
 * passes is found. A count passes when every task ended (none left unfinished) and the p99 of the wait is at
 * most the target. Each probe is one whole simulation, so the answer costs about {@code 2 log2(max)} runs.
 *
 * <p>The wait of a simulation is not exactly monotonic in the count (a different fleet draws its own
 * routing), so near the edge the answer can be one off; the probes are reported so that this shows.
 */
public final class CapacityPlanner {
    private CapacityPlanner() {
    }

    /** One simulated count: its p99 wait and whether it passed. */
    public record Probe(int workers, long p99WaitMs, long unfinished, boolean passed) {
    }

    /**
     * The answer for one kind.
     *
     * @param needed the least count that passes, or -1 when even {@code maxWorkers} does not
     * @param current workers of the kind in the scenario
     * @param arrivalsPerSecond tasks over the arrival period
     * @param probes every count simulated, in order
     */
    public record Answer(WorkerKind kind, long targetP99WaitMs, int maxWorkers, int needed, int current,
                         double arrivalsPerSecond, List<Probe> probes) {
        public Answer {
            probes = List.copyOf(probes);
        }

        /** The probe of the answer, or null when none passed. */
        public Probe chosen() {
            return probes.stream().filter(p -> p.workers() == needed).findFirst().orElse(null);
        }
    }

    /**
     * Plans {@code kind} in {@code scenario} under {@code config}.
     *
     * @throws IllegalArgumentException for a target below 0 or a maximum below 1
     * @throws ScenarioException when no worker is of the kind
     */
    public static Answer plan(Scenario scenario, WorkerKind kind, long targetP99WaitMs, int maxWorkers,
                              SimConfig config, long seed) {
        if (targetP99WaitMs < 0 || maxWorkers < 1) {
            throw new IllegalArgumentException("the p99 wait target must be 0 ms or more and the maximum 1 worker "
                    + "or more; were " + targetP99WaitMs + " ms and " + maxWorkers);
        }
        int current = kind.count(scenario);
        if (current == 0) {
            kind.resize(scenario, 1); // throws, naming the kind
        }
        TreeMap<Integer, Probe> probes = new TreeMap<>();
        List<Probe> order = new ArrayList<>();
        java.util.function.IntPredicate passes = n -> probes.computeIfAbsent(n, k -> {
            Probe p = probe(scenario, kind, k, targetP99WaitMs, config, seed);
            order.add(p);
            return p;
        }).passed();
        int needed = search(passes, Math.max(1, Math.min(current, maxWorkers)), maxWorkers);
        return answer(scenario, kind, targetP99WaitMs, maxWorkers, needed, current, order);
    }

    /**
     * The least count from 1 to {@code max} that {@code passes}, or -1: from {@code start}, halving while the
     * half passes or doubling until one passes, then bisecting between the last that failed and the first that
     * passed.
     */
    static int search(java.util.function.IntPredicate passes, int start, int max) {
        int lo;
        int hi;
        if (passes.test(start)) {
            hi = start;
            while (hi > 1 && passes.test(hi / 2)) {
                hi /= 2;
            }
            lo = hi / 2; // failed, or 0 when even one passes
        } else {
            lo = start;
            hi = Math.min(max, start * 2);
            while (!passes.test(hi)) {
                if (hi == max) {
                    return -1;
                }
                lo = hi;
                hi = Math.min(max, hi * 2);
            }
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (passes.test(mid)) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        return hi;
    }

    private static Probe probe(Scenario scenario, WorkerKind kind, int n, long target, SimConfig config, long seed) {
        SimResult r = Simulation.run(kind.resize(scenario, n), config, seed);
        long p99 = SimResult.percentile(r.waits(), 0.99);
        return new Probe(n, p99, r.unfinished(), r.unfinished() == 0 && p99 <= target);
    }

    private static Answer answer(Scenario s, WorkerKind kind, long target, int max, int needed, int current,
                                 List<Probe> probes) {
        long arrived = s.arrivals().recorded().isEmpty() ? -1 : s.arrivals().recorded().size();
        double rate = arrived >= 0 ? arrived * 1000.0 / s.durationMs() : meanRate(s);
        return new Answer(kind, target, max, needed, current, rate, probes);
    }

    /** The Poisson rate averaged over the arrival period, bursts included. */
    private static double meanRate(Scenario s) {
        Workload w = new Workload(s, new java.util.SplittableRandom(0));
        double sum = 0;
        long step = Math.max(1, s.durationMs() / 1_000);
        for (long t = 0; t < s.durationMs(); t += step) {
            sum += w.rate(t) * step;
        }
        return sum / s.durationMs();
    }
}
