package io.kdispatch.dispatcher.quota;

/**
 * How a fleet-wide limit is split over the stream tasks that enforce it. Tasks are partitioned by routing
 * key over {@code topic.partitions} stream tasks, and each counts only its own tasks in flight, so each
 * enforces a share: {@code floor(limit / P)}, plus one for {@code limit mod P} of them (which ones depends
 * on the name, so that the extra units of different tenants land on different partitions). The shares add
 * up to the limit exactly, so a fleet-wide limit of at least P is never exceeded, whichever instance runs
 * which stream task and however they fail over (the count is rebuilt from the attempts store).
 *
 * <p>A share is at least 1, so that no partition's tasks of a tenant wait forever: a limit below P is
 * enforced as one per partition, and the fleet-wide bound is then {@code max(limit, P)}. The price of the
 * split is under-use when the load is skewed: a partition at its share parks tasks while another has room.
 * Rates are split the same way: {@code perSecond / P} each (exact), the burst like a limit (at least 1).
 * Pure functions.
 */
public final class QuotaShare {
    private QuotaShare() {
    }

    /** The share of {@code limit} that stream task {@code partition} of {@code partitions} enforces (≥ 1). */
    public static int of(int limit, String name, int partition, int partitions) {
        if (partitions <= 1) {
            return limit;
        }
        int base = limit / partitions;
        int extra = limit % partitions;
        int offset = Math.floorMod(name.hashCode(), partitions);
        int rank = Math.floorMod(partition - offset, partitions);
        return Math.max(1, base + (rank < extra ? 1 : 0));
    }

    /** The fleet-wide bound the shares of {@code limit} keep over {@code partitions} stream tasks. */
    public static int bound(int limit, int partitions) {
        return Math.max(limit, partitions);
    }

    /** This stream task's part of {@code rate}: the rate divided by the partitions, the burst shared. */
    public static Rate of(Rate rate, String name, int partition, int partitions) {
        if (partitions <= 1) {
            return rate;
        }
        return new Rate(rate.perSecond() / partitions, of(rate.burst(), name, partition, partitions));
    }
}
