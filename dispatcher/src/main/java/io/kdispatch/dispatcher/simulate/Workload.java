package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.simulate.Scenario.Burst;
import io.kdispatch.dispatcher.simulate.Scenario.KeySpace;
import io.kdispatch.dispatcher.simulate.Scenario.Step;
import io.kdispatch.dispatcher.simulate.Scenario.TaskType;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The tasks a scenario submits: Poisson arrivals at a rate that steps over time (bursts add to it), each
 * task of a type drawn by weight, with an affinity key drawn uniformly or with Zipf skew; or the tasks of a
 * recorded trace, as they came. Arrival times, types, keys and each task's seed come from one random stream,
 * so every configuration of a comparison gets exactly the same tasks at exactly the same times.
 */
final class Workload {
    /** One arriving task; {@code recorded} is the task of a trace, or null for a drawn one. */
    record Arrival(long atMs, int type, String key, long seed, Scenario.TaskSpec recorded) {
    }

    private final long durationMs;
    private final long[] changes;
    private final Scenario scenario;
    private final double[] typeCdf;
    private final double[][] keyCdfs;
    private final SplittableRandom random;
    private long now;
    private double nowFraction;
    private int nextRecorded;

    Workload(Scenario scenario, SplittableRandom random) {
        this.scenario = scenario;
        this.durationMs = scenario.durationMs();
        this.random = random;
        List<TaskType> types = scenario.taskTypes();
        typeCdf = cdf(types.stream().mapToDouble(TaskType::weight).toArray());
        keyCdfs = new double[types.size()][];
        for (int i = 0; i < types.size(); i++) {
            KeySpace keys = types.get(i).keys();
            if (keys != null && keys.exponent() > 0) {
                double[] w = new double[keys.count()];
                for (int k = 0; k < w.length; k++) {
                    w[k] = 1.0 / Math.pow(k + 1, keys.exponent());
                }
                keyCdfs[i] = cdf(w);
            }
        }
        changes = scenario.arrivals().rate().stream().mapToLong(Step::atMs).toArray();
    }

    /** The next arrival, or null when none comes before the end of the arrivals. */
    Arrival next() {
        List<Scenario.Recorded> recorded = scenario.arrivals().recorded();
        if (!recorded.isEmpty()) {
            if (nextRecorded == recorded.size()) {
                return null;
            }
            Scenario.Recorded r = recorded.get(nextRecorded++);
            return new Arrival(r.atMs(), r.type(), r.task().key(), random.nextLong(), r.task());
        }
        while (now < durationMs) {
            double rate = rate(now);
            long boundary = nextChange(now);
            if (rate > 0) {
                double gap = -Math.log(1.0 - random.nextDouble()) * 1000.0 / rate;
                if (now + nowFraction + gap < boundary) {
                    // keep sub-millisecond precision in the process, report whole milliseconds
                    nowFraction += gap;
                    long whole = (long) nowFraction;
                    nowFraction -= whole;
                    now += whole;
                    return arrival(now);
                }
            }
            now = boundary; // memoryless: start afresh at the next change of rate
            nowFraction = 0;
        }
        return null;
    }

    private Arrival arrival(long at) {
        int type = pick(typeCdf, random.nextDouble());
        KeySpace keys = scenario.taskTypes().get(type).keys();
        String key = null;
        if (keys != null && random.nextDouble() < keys.share()) {
            int k = keyCdfs[type] == null ? random.nextInt(keys.count()) : pick(keyCdfs[type], random.nextDouble());
            key = keys.prefix() + k;
        }
        return new Arrival(at, type, key, random.nextLong(), null);
    }

    /** Tasks per second at {@code t}: the step in force plus every burst under way. */
    double rate(long t) {
        double rate = 0;
        for (Step s : scenario.arrivals().rate()) {
            if (s.atMs() <= t) {
                rate = s.perSecond();
            }
        }
        for (Burst b : scenario.arrivals().bursts()) {
            if (b.atMs() <= t && t < b.atMs() + b.durationMs()) {
                rate += b.perSecond();
            }
        }
        return rate;
    }

    /** The next time after {@code t} at which the rate may change (a step, a burst's start or end, the end). */
    private long nextChange(long t) {
        long next = durationMs;
        for (long c : changes) {
            if (c > t) {
                next = Math.min(next, c);
            }
        }
        for (Burst b : scenario.arrivals().bursts()) {
            if (b.atMs() > t) {
                next = Math.min(next, b.atMs());
            }
            if (b.atMs() + b.durationMs() > t) {
                next = Math.min(next, b.atMs() + b.durationMs());
            }
        }
        return next;
    }

    private static double[] cdf(double[] weights) {
        double[] c = new double[weights.length];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            c[i] = sum;
        }
        for (int i = 0; i < c.length; i++) {
            c[i] /= sum;
        }
        return c;
    }

    private static int pick(double[] cdf, double u) {
        int i = Arrays.binarySearch(cdf, u);
        int at = i >= 0 ? i + 1 : -i - 1;
        return Math.min(at, cdf.length - 1);
    }
}
