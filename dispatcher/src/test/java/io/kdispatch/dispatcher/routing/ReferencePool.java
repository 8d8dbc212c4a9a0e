package io.kdispatch.dispatcher.routing;

// The router as it was before the load board (main at 117a1a2), unchanged but for its class names: the
// reference that RouterBoardPropertyTest compares the board-based router with. Test code only.

/**
 * The workers one decision may choose from, with their loads: a per-decision value, never cached.
 *
 * <p>Members are fleet indexes ({@link Fleet}), ascending, so index order is worker-ID order. Loads are
 * stored by position in the routing table's candidate list, and -1 marks a candidate that is not in the
 * pool; that keeps a decision to one small array when nobody is excluded (the member array is then the
 * table's own).
 */
final class ReferencePool {
    /** Members' fleet indexes, ascending. */
    final int[] members;
    /** Sum of the members' loads. */
    final long totalLoad;
    private final int[] position;
    private final int[] load;

    /**
     * @param members fleet indexes of the members, ascending
     * @param position by fleet index, the position in {@code load}, or -1 for workers that are not candidates
     * @param load by position, the load, or -1 for candidates outside the pool
     */
    ReferencePool(int[] members, int[] position, int[] load, long totalLoad) {
        this.members = members;
        this.position = position;
        this.load = load;
        this.totalLoad = totalLoad;
    }

    int size() {
        return members.length;
    }

    boolean isEmpty() {
        return members.length == 0;
    }

    /** The load of the worker at fleet index {@code index}, or -1 when it is not in the pool. */
    int load(int index) {
        int at = index < 0 ? -1 : position[index];
        return at < 0 ? -1 : load[at];
    }

    boolean contains(int index) {
        return load(index) >= 0;
    }

    /**
     * The members with the highest {@code scores} entry (soft label preferences), or this pool when they
     * all score the same. Never empty when this pool is not.
     */
    ReferencePool best(int[] scores) {
        int top = Integer.MIN_VALUE;
        int atTop = 0;
        for (int index : members) {
            if (scores[index] > top) {
                top = scores[index];
                atTop = 0;
            }
            if (scores[index] == top) {
                atTop++;
            }
        }
        if (atTop == members.length) {
            return this;
        }
        int[] kept = new int[atTop];
        int[] restricted = load.clone();
        long total = 0;
        int next = 0;
        for (int index : members) {
            if (scores[index] == top) {
                kept[next++] = index;
                total += load[position[index]];
            } else {
                restricted[position[index]] = -1;
            }
        }
        return new ReferencePool(kept, position, restricted, total);
    }

    /** The least-loaded member, ties to the lower worker ID; -1 when empty. */
    int leastLoaded() {
        int best = -1;
        for (int index : members) {
            if (best < 0 || load(index) < load(best)) {
                best = index;
            }
        }
        return best;
    }
}
