package io.kdispatch.dispatcher.routing;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The loads of one router's fleet, indexed for routing: every worker's load and limit by fleet index, which
 * workers are full, and per routing table (eligibility class) the total load and the count and load of its
 * full workers. A decision reads these instead of asking a {@link LoadView} about every eligible worker, so
 * it costs no work proportional to the fleet.
 *
 * <p>The board copies its {@linkplain #source() source} when it is built ({@link Router#board}) and is kept
 * up to date by whoever changes the source: call {@link #refresh} after every change of a worker's load,
 * limit or service time. A change costs one read of the worker from the source plus a constant per routing
 * table the worker belongs to. A board is bound to its router's fleet and prefetch: build a new one when the
 * router changes ({@link #isFor}); a router given a board that is not its own routes over a fresh copy.
 *
 * <p>Not thread-safe: one board per deciding thread (per stream task), like its source.
 */
public final class LoadBoard implements LoadView {
    final Fleet fleet;
    private final int prefetch;
    private final LoadView source;
    private final int[] load;
    private final int[] limit;
    private final long[] fullBits;
    private final Map<RoutingTable, TableLoad> tables = new IdentityHashMap<>();
    /** The per-decision rules' outcome, with fullness and without: refilled by every decision ({@link Filtered}). */
    private final Filtered withFullness = new Filtered(this, true);
    private final Filtered ignoringFullness = new Filtered(this, false);

    LoadBoard(Fleet fleet, int prefetch, LoadView source) {
        this.fleet = fleet;
        this.prefetch = prefetch;
        this.source = source;
        this.load = new int[fleet.size()];
        this.limit = new int[fleet.size()];
        this.fullBits = new long[(fleet.size() + 63) >>> 6];
        for (int i = 0; i < fleet.size(); i++) {
            read(i);
        }
    }

    /** The scratch outcome of {@link Eligibility#filter} for {@code fullness}. */
    Filtered scratch(boolean fullness) {
        return fullness ? withFullness : ignoringFullness;
    }

    /** The view this board copies. */
    public LoadView source() {
        return source;
    }

    /** True when this board indexes exactly {@code router}'s fleet with its prefetch. */
    public boolean isFor(Router router) {
        return router.boardFits(this);
    }

    boolean fits(Fleet other, int otherPrefetch) {
        return fleet == other && prefetch == otherPrefetch;
    }

    /**
     * Re-reads {@code workerId} from the source and updates every index it is part of; a worker outside the
     * fleet is ignored.
     */
    public void refresh(String workerId) {
        int index = fleet.indexOf(workerId);
        if (index < 0) {
            return;
        }
        int oldLoad = load[index];
        boolean wasFull = full(index);
        read(index);
        if (oldLoad == load[index] && wasFull == full(index)) {
            return;
        }
        for (TableLoad table : tables.values()) {
            table.changed(index, oldLoad, wasFull, load[index], full(index));
        }
    }

    private void read(int index) {
        String id = fleet.ids[index];
        int current = Math.max(0, source.load(id));
        int capacity = fleet.capacities[index];
        load[index] = current;
        // below its capacity a worker is never full, whatever its limit
        limit[index] = current >= capacity ? source.limit(id, capacity, prefetch) : Integer.MAX_VALUE;
        if (current >= capacity && current >= limit[index]) {
            fullBits[index >>> 6] |= 1L << index;
        } else {
            fullBits[index >>> 6] &= ~(1L << index);
        }
    }

    /** The load of the worker at fleet index {@code index}, never negative. */
    int load(int index) {
        return load[index];
    }

    /** Its limit as of its last refresh; only meaningful while it is {@link #full}. */
    int limit(int index) {
        return limit[index];
    }

    /** True when the worker holds as many tasks as its limit (capacity + credit) allows. */
    boolean full(int index) {
        return (fullBits[index >>> 6] & (1L << index)) != 0;
    }

    /** The first full worker at fleet index {@code from} or later, or -1. */
    int nextFull(int from) {
        int word = from >>> 6;
        if (word >= fullBits.length) {
            return -1;
        }
        long bits = fullBits[word] & (-1L << from);
        while (true) {
            if (bits != 0) {
                return (word << 6) + Long.numberOfTrailingZeros(bits);
            }
            if (++word == fullBits.length) {
                return -1;
            }
            bits = fullBits[word];
        }
    }

    /** The aggregates of {@code table}, built on first use from this board's loads. */
    TableLoad of(RoutingTable table) {
        TableLoad aggregate = tables.get(table);
        if (aggregate == null) {
            if (tables.size() >= Router.MAX_CACHED_SIGNATURES) {
                tables.clear(); // the router dropped its tables too; they come back on use
            }
            aggregate = new TableLoad(table, this);
            tables.put(table, aggregate);
        }
        return aggregate;
    }

    @Override
    public int load(String workerId) {
        int index = fleet.indexOf(workerId);
        return index < 0 ? Math.max(0, source.load(workerId)) : load[index];
    }

    @Override
    public int limit(String workerId, int capacity, int prefetch) {
        return source.limit(workerId, capacity, prefetch);
    }

    @Override
    public double serviceTimeMs(String workerId) {
        return source.serviceTimeMs(workerId);
    }

    @Override
    public String toString() {
        return "LoadBoard" + Arrays.toString(load);
    }
}
