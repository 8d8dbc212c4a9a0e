package io.kdispatch.dispatcher.routing;

/**
 * The outcome of the per-decision rules ({@link Eligibility#filter}): the pool, and what explains who is not
 * in it.
 *
 * <p>Scratch, not a value: each {@link LoadBoard} owns one per fullness flag and every decision on that board
 * refills it ({@link #reset}), so that a decision allocates nothing but itself. Valid until the board's next
 * decision; a decision keeps nothing of it (its lists are shared with the table or copied, see
 * {@link Heads}). A board serves one deciding thread, so no two decisions share one.
 */
final class Filtered {
    private final LoadBoard board;
    private final boolean fullness;
    private final Pool pool;
    private Fleet fleet;
    private RoutingTable table;
    private TableLoad load;
    private int[] dropped;
    private int occupied;
    private String group;

    Filtered(LoadBoard board, boolean fullness) {
        this.board = board;
        this.fullness = fullness;
        this.pool = new Pool(board, fullness);
    }

    /** Refills this outcome (and its pool) for one decision; returns it. */
    Filtered reset(Fleet fleet, RoutingTable table, TableLoad load, int[] dropped, int occupied, String group,
                   int size, long totalLoad) {
        this.fleet = fleet;
        this.table = table;
        this.load = load;
        this.dropped = dropped;
        this.occupied = occupied;
        this.group = group;
        pool.reset(table, dropped, size, totalLoad);
        return this;
    }

    Fleet fleet() {
        return fleet;
    }

    RoutingTable table() {
        return table;
    }

    LoadBoard board() {
        return board;
    }

    TableLoad load() {
        return load;
    }

    /** False when no worker was excluded for its load. */
    boolean fullness() {
        return fullness;
    }

    Pool pool() {
        return pool;
    }

    /** Candidates the request's rules took out (the occupied ones first), fleet indexes. */
    int[] dropped() {
        return dropped;
    }

    /** How many of {@link #dropped} run a member of the task's anti-affinity group. */
    int occupied() {
        return occupied;
    }

    String group() {
        return group;
    }

    /** How many candidates a per-decision rule (fullness, anti-affinity, avoid) took out. */
    int dynamic() {
        return (fullness ? load.fullCount : 0) + dropped.length;
    }

    /** Every worker not in the pool: the statically excluded ones and {@link #dynamic()}. */
    int excludedCount() {
        return table.excluded().size() + dynamic();
    }

    /**
     * The kind of rule that keeps the worker at fleet index {@code index} out now ({@link Heads}'s
     * {@code STATIC}, {@code FULL}, {@code OCCUPIED} or {@code AVOIDED}), or {@code Heads.IN_POOL}.
     */
    byte kindOf(int index) {
        if (table.positions()[index] < 0) {
            return Heads.STATIC;
        }
        if (fullness && board.full(index)) {
            return Heads.FULL;
        }
        for (int at = 0; at < dropped.length; at++) {
            if (dropped[at] == index) {
                return at < occupied ? Heads.OCCUPIED : Heads.AVOIDED;
            }
        }
        return Heads.IN_POOL;
    }

    /** The reason the worker at {@code index} is out, or null when it is in the pool. */
    String reasonFor(int index) {
        byte kind = kindOf(index);
        return kind == Heads.IN_POOL ? null
                : Heads.reason(fleet, table, group, index, kind, board.load(index), board.limit(index), null);
    }
}
