package io.kdispatch.dispatcher.routing;

/**
 * The strategies for tasks without a sticky worker or an affinity key. Each chooses one member of a
 * non-empty {@link Pool}, deterministically from the task ID and the loads it is given.
 */
final class Strategies {
    /**
     * AUTO picks {@link Strategy#PREDICTIVE} when the slowest known service time among the pool is at least
     * this many times the fastest: then a worker's speed matters more than its queue length.
     */
    static final double AUTO_SERVICE_TIME_SPREAD = 2.0;
    /**
     * Otherwise AUTO picks {@link Strategy#LEAST_LOADED} when {@code (maxLoad - minLoad) / max(1, meanLoad)}
     * reaches this skew; below both thresholds it keeps {@link Strategy#CONSISTENT_HASH}.
     */
    static final double AUTO_LOAD_SKEW = 0.5;
    /** Service times below this many milliseconds count as this much when computing the spread. */
    static final double MIN_SERVICE_TIME_MS = 0.001;

    private Strategies() {
    }

    /** The chosen fleet index, the label to report (e.g. {@code auto:predictive}), and whether the bound skipped. */
    record Choice(int index, String label, boolean bounded) {
    }

    static Choice choose(Strategy strategy, Fleet fleet, Pool pool, String taskId, LoadView loads, double factor) {
        return switch (strategy) {
            case CONSISTENT_HASH -> {
                long pick = BoundedLoad.pick(fleet.ring(), taskId, pool, factor);
                yield new Choice(BoundedLoad.index(pick), strategy.label(), BoundedLoad.bounded(pick));
            }
            case LEAST_LOADED -> new Choice(leastLoadedOfTwo(pool, taskId), strategy.label(), false);
            case WEIGHTED -> new Choice(weighted(fleet, pool, taskId), strategy.label(), false);
            case PREDICTIVE -> new Choice(predictive(pool, serviceTimes(fleet, pool, loads)), strategy.label(), false);
            case AUTO -> {
                Strategy picked = auto(pool, serviceTimes(fleet, pool, loads));
                Choice choice = choose(picked, fleet, pool, taskId, loads, factor);
                yield new Choice(choice.index(), strategy.label() + ":" + picked.label(), choice.bounded());
            }
        };
    }

    /**
     * Power of two choices: two distinct members picked by the task ID's hash (two independent 64-bit halves);
     * the lower load wins, then the lower ID.
     */
    static int leastLoadedOfTwo(Pool pool, String taskId) {
        int k = pool.size();
        if (k == 1) {
            return pool.members()[0];
        }
        long[] hash = Hashing.hash128(taskId, Hashing.CHOICES_SEED);
        int first = (int) Long.remainderUnsigned(hash[0], k);
        int second = (int) Long.remainderUnsigned(hash[1], k - 1);
        if (second >= first) {
            second++;
        }
        int a = pool.members()[first];
        int b = pool.members()[second];
        if (pool.load(a) != pool.load(b)) {
            return pool.load(a) < pool.load(b) ? a : b;
        }
        return Math.min(a, b);
    }

    /**
     * Weighted rendezvous hashing: each member scores {@code weight / -ln(u)} with {@code u} uniform in (0, 1)
     * from the task ID and the member; the highest wins, which gives each member a share proportional to its
     * weight, and a member's departure moves only its own tasks.
     */
    static int weighted(Fleet fleet, Pool pool, String taskId) {
        long task = Hashing.hash64(taskId, Hashing.RENDEZVOUS_SEED);
        int best = -1;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int index : pool.members()) {
            double u = Hashing.unitInterval(Hashing.mix64(task ^ fleet.seeds[index]));
            double score = fleet.weights[index] / -Math.log(u);
            if (score > bestScore) {
                best = index;
                bestScore = score;
            }
        }
        return best;
    }

    /**
     * Lowest expected completion time {@code (load + 1) x serviceTime}; unknown service times count as the
     * mean of the known ones (or 1 ms when none is known). Ties go to the lower load, then the lower ID.
     */
    static int predictive(Pool pool, double[] serviceTimes) {
        double fallback = meanKnown(serviceTimes);
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int i = 0; i < pool.size(); i++) {
            int index = pool.members()[i];
            double time = known(serviceTimes[i]) ? serviceTimes[i] : fallback;
            double cost = (pool.load(index) + 1.0) * time;
            if (best < 0 || cost < bestCost || (cost == bestCost && pool.load(index) < pool.load(best))) {
                best = index;
                bestCost = cost;
            }
        }
        return best;
    }

    /** AUTO's pick from the pool's service-time spread and load skew; see the thresholds above. */
    static Strategy auto(Pool pool, double[] serviceTimes) {
        double fastest = Double.POSITIVE_INFINITY;
        double slowest = 0;
        int known = 0;
        for (double time : serviceTimes) {
            if (known(time)) {
                known++;
                fastest = Math.min(fastest, time);
                slowest = Math.max(slowest, time);
            }
        }
        if (known >= 2 && slowest / Math.max(fastest, MIN_SERVICE_TIME_MS) >= AUTO_SERVICE_TIME_SPREAD) {
            return Strategy.PREDICTIVE;
        }
        int min = Integer.MAX_VALUE;
        int max = 0;
        for (int index : pool.members()) {
            min = Math.min(min, pool.load(index));
            max = Math.max(max, pool.load(index));
        }
        double mean = (double) pool.totalLoad() / pool.size();
        return (max - min) / Math.max(1.0, mean) >= AUTO_LOAD_SKEW ? Strategy.LEAST_LOADED : Strategy.CONSISTENT_HASH;
    }

    /** Service time per pool member, in pool order; NaN where unknown. */
    private static double[] serviceTimes(Fleet fleet, Pool pool, LoadView loads) {
        double[] times = new double[pool.size()];
        for (int i = 0; i < times.length; i++) {
            times[i] = loads.serviceTimeMs(fleet.ids[pool.members()[i]]);
        }
        return times;
    }

    private static double meanKnown(double[] serviceTimes) {
        double sum = 0;
        int known = 0;
        for (double time : serviceTimes) {
            if (known(time)) {
                sum += time;
                known++;
            }
        }
        return known == 0 ? 1.0 : sum / known;
    }

    private static boolean known(double serviceTimeMs) {
        return Double.isFinite(serviceTimeMs) && serviceTimeMs >= 0;
    }
}
