package io.kdispatch.dispatcher.routing;

import java.util.Arrays;

/**
 * The workers one decision may choose from, with their loads: per decision, never cached (the board's
 * scratch, refilled by each decision, see {@link Filtered}).
 *
 * <p>A pool is a view, not a copy: the routing table's candidates, less the full ones (unless fullness is
 * ignored), less a few workers the request's rules dropped (anti-affinity, the avoid set). Its size and
 * total load come from the board's aggregates ({@link TableLoad}), so building one and asking it about a
 * worker costs no work proportional to the fleet. Only the strategies that look at every member (weighted,
 * predictive, auto, least-loaded, soft preferences) list the {@link #members()}, once per decision.
 *
 * <p>Members are fleet indexes ({@link Fleet}), ascending, so index order is worker-ID order.
 */
final class Pool {
    static final int[] NONE = new int[0];

    private final LoadBoard board;
    private final boolean fullness;
    private RoutingTable table;
    /** Candidates the request's rules took out, fleet indexes in any order; short. */
    private int[] dropped;
    /** Null for a view; else the explicit members, ascending (a subset chosen by {@link #best}). */
    private int[] members;
    private int size;
    private long totalLoad;

    /** An empty pool of {@code board}'s, to be {@linkplain #reset filled} by each decision ({@link Filtered}). */
    Pool(LoadBoard board, boolean fullness) {
        this.board = board;
        this.fullness = fullness;
    }

    /** Makes this the view of {@code table}'s candidates less {@code dropped} (and the full ones, by fullness). */
    void reset(RoutingTable table, int[] dropped, int size, long totalLoad) {
        reset(table, dropped, null, size, totalLoad);
    }

    private void reset(RoutingTable table, int[] dropped, int[] members, int size, long totalLoad) {
        this.table = table;
        this.dropped = dropped;
        this.members = members;
        this.size = size;
        this.totalLoad = totalLoad;
    }

    /** Sum of the members' loads. */
    long totalLoad() {
        return totalLoad;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** True when the worker at fleet index {@code index} is in the pool. */
    boolean contains(int index) {
        if (index < 0 || table.positions()[index] < 0 || (fullness && board.full(index))) {
            return false;
        }
        for (int out : dropped) {
            if (out == index) {
                return false;
            }
        }
        return members == null || Arrays.binarySearch(members, index) >= 0;
    }

    /** The load of the worker at fleet index {@code index}, or -1 when it is not in the pool. */
    int load(int index) {
        return contains(index) ? board.load(index) : -1;
    }

    /** The members' fleet indexes, ascending; listed on first call. */
    int[] members() {
        if (members == null) {
            int[] listed = new int[size];
            int next = 0;
            for (int index : table.candidates()) {
                if (next < size && contains(index)) {
                    listed[next++] = index;
                }
            }
            members = listed;
        }
        return members;
    }

    /**
     * The members with the highest {@code scores} entry (soft label preferences), or this pool when they
     * all score the same. Never empty when this pool is not.
     */
    Pool best(int[] scores) {
        int top = Integer.MIN_VALUE;
        int atTop = 0;
        for (int index : members()) {
            if (scores[index] > top) {
                top = scores[index];
                atTop = 0;
            }
            if (scores[index] == top) {
                atTop++;
            }
        }
        if (atTop == size) {
            return this;
        }
        int[] kept = new int[atTop];
        long total = 0;
        int next = 0;
        for (int index : members) {
            if (scores[index] == top) {
                kept[next++] = index;
                total += board.load(index);
            }
        }
        Pool best = new Pool(board, fullness);
        best.reset(table, dropped, kept, atTop, total);
        return best;
    }

    /** The least-loaded member, ties to the lower worker ID; -1 when empty. */
    int leastLoaded() {
        int best = -1;
        for (int index : members()) {
            if (best < 0 || board.load(index) < board.load(best)) {
                best = index;
            }
        }
        return best;
    }
}
