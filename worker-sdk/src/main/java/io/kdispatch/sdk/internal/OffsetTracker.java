package io.kdispatch.sdk.internal;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Works out which offsets may be committed when records of one partition finish out of order.
 *
 * <p>A record is <em>pending</em> from {@link #received} until {@link #completed}. The commit
 * position of a partition is its lowest pending offset, or one past the highest offset received
 * when nothing is pending: everything below it is done, so a restart re-reads only unfinished
 * work. Gaps (transaction markers, aborted records skipped under {@code read_committed}) need no
 * special case because only received offsets are ever pending.
 *
 * <p>Plain data, no Kafka types ({@code P} is the partition key). Not thread-safe: the worker uses
 * it from its poll thread only.
 *
 * @param <P> partition identifier
 */
public final class OffsetTracker<P> {
    private final Map<P, PartitionState> partitions = new HashMap<>();

    /** Records that {@code offset} of {@code partition} was fetched and is not finished yet. */
    public void received(P partition, long offset) {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be >= 0, was " + offset);
        }
        partitions.computeIfAbsent(partition, p -> new PartitionState()).receive(offset);
    }

    /**
     * Records that {@code offset} is finished. Offsets never received, or of a partition that was
     * {@link #forget forgotten} (revoked) meanwhile, are ignored.
     */
    public void completed(P partition, long offset) {
        PartitionState state = partitions.get(partition);
        if (state != null) {
            state.pending.remove(offset);
        }
    }

    /**
     * Commit positions that moved since the last call, and remembers them as handed out.
     * Partitions with nothing new are left out, so an empty map means "nothing to commit".
     */
    public Map<P, Long> advanced() {
        Map<P, Long> result = new LinkedHashMap<>();
        partitions.forEach((partition, state) -> {
            long position = state.commitPosition();
            if (position > state.handedOut) {
                state.handedOut = position;
                result.put(partition, position);
            }
        });
        return result;
    }

    /** The commit position of every tracked partition (for a final synchronous commit). */
    public Map<P, Long> positions() {
        Map<P, Long> result = new LinkedHashMap<>();
        partitions.forEach((partition, state) -> {
            if (state.highest >= 0) {
                result.put(partition, state.commitPosition());
            }
        });
        return result;
    }

    /** The commit position of one partition, or -1 when nothing was received from it. */
    public long position(P partition) {
        PartitionState state = partitions.get(partition);
        return state == null || state.highest < 0 ? -1 : state.commitPosition();
    }

    /** Drops a partition (revoked or lost): completions for it are ignored from now on. */
    public void forget(P partition) {
        partitions.remove(partition);
    }

    /** Number of offsets received and not completed, over all partitions. */
    public int pending() {
        int total = 0;
        for (PartitionState state : partitions.values()) {
            total += state.pending.size();
        }
        return total;
    }

    private static final class PartitionState {
        private final TreeSet<Long> pending = new TreeSet<>();
        private long highest = -1;
        private long handedOut = -1;

        void receive(long offset) {
            if (highest < 0) {
                handedOut = offset; // the position before any work is done: nothing to commit yet
            }
            pending.add(offset);
            highest = Math.max(highest, offset);
        }

        long commitPosition() {
            return pending.isEmpty() ? highest + 1 : pending.first();
        }
    }
}
