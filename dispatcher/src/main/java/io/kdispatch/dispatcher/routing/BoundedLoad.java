package io.kdispatch.dispatcher.routing;

/**
 * Consistent hashing with bounded loads (Mirrokni, Thorup and Zadimoghaddam, "Consistent Hashing with
 * Bounded Loads", SODA 2018): walk the ring clockwise from the key's hash and take the first pool member
 * whose load after taking the task stays within {@code ceil(factor x (totalLoad + 1) / n)}.
 *
 * <p>The least-loaded member always fits (its load is at most {@code floor(total / n)}, and the bound is at
 * least {@code floor(total / n) + 1} for any factor of 1 or more), so the walk always ends with a member.
 */
final class BoundedLoad {
    // Guards against a product like 1.1 x 50 / 11 landing a hair above an integer and raising the bound by 1.
    private static final double ROUNDING_SLACK = 1e-9;

    private BoundedLoad() {
    }

    /**
     * A pick: the chosen fleet index and whether the key's first eligible worker was skipped for its load,
     * packed in a long ({@link #index}, {@link #bounded}) so that a decision allocates no object for it.
     */
    private static long packed(int index, boolean bounded) {
        return ((long) index << 1) | (bounded ? 1 : 0);
    }

    /** The fleet index a {@link #pick} chose. */
    static int index(long pick) {
        return (int) (pick >> 1);
    }

    /** Whether a {@link #pick} skipped the key's first eligible worker for its load. */
    static boolean bounded(long pick) {
        return (pick & 1) != 0;
    }

    /** The first pool member from {@code start} whose load after one more task stays within {@code bound}. */
    private static int walk(HashRing ring, int start, Pool pool, long bound) {
        for (int step = 0; step < ring.points(); step++) {
            int index = ring.ownerAt(start, step);
            if (pool.contains(index) && pool.load(index) + 1L <= bound) {
                return index;
            }
        }
        return -1;
    }

    /** The most tasks a member may hold after this assignment: {@code ceil(factor x (total + 1) / n)}. */
    static long bound(double factor, long totalLoad, int members) {
        return (long) Math.ceil(factor * (totalLoad + 1) / members - ROUNDING_SLACK);
    }

    /** True when the member at {@code index} can take one more task within the bound. */
    static boolean fits(Pool pool, int index, double factor) {
        return pool.load(index) + 1L <= bound(factor, pool.totalLoad(), pool.size());
    }

    /** Places {@code key} on a member of the non-empty {@code pool}: a packed pick ({@link #index}, {@link #bounded}). */
    static long pick(HashRing ring, String key, Pool pool, double factor) {
        long bound = bound(factor, pool.totalLoad(), pool.size());
        int start = ring.start(key);
        int owner = walk(ring, start, pool, Long.MAX_VALUE);
        if (owner >= 0 && pool.load(owner) + 1L <= bound) {
            return packed(owner, false);
        }
        int chosen = walk(ring, start, pool, bound);
        // Unreachable by the argument above; falling back keeps a decision even if a caller bends the rules.
        return packed(chosen >= 0 ? chosen : pool.leastLoaded(), true);
    }
}
