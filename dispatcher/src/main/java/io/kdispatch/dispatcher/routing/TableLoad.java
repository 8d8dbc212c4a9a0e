package io.kdispatch.dispatcher.routing;

/**
 * The load of one routing table's candidates, kept by a {@link LoadBoard} as loads change: their total load,
 * and how many of them are full and how much those carry. With it a decision knows the size and total load
 * of its pool (the candidates, less the full ones, less the few workers its request rules out) without
 * reading any worker.
 */
final class TableLoad {
    final RoutingTable table;
    /** Sum of every candidate's load. */
    long total;
    /** Candidates that are full, and the sum of their loads. */
    int fullCount;
    long fullLoad;

    TableLoad(RoutingTable table, LoadBoard board) {
        this.table = table;
        for (int index : table.candidates()) {
            total += board.load(index);
            if (board.full(index)) {
                fullCount++;
                fullLoad += board.load(index);
            }
        }
    }

    /** The worker at fleet index {@code index} went from {@code oldLoad} to {@code newLoad}. */
    void changed(int index, int oldLoad, boolean wasFull, int newLoad, boolean nowFull) {
        if (table.positions()[index] < 0) {
            return;
        }
        total += newLoad - oldLoad;
        if (wasFull) {
            fullCount--;
            fullLoad -= oldLoad;
        }
        if (nowFull) {
            fullCount++;
            fullLoad += newLoad;
        }
    }
}
