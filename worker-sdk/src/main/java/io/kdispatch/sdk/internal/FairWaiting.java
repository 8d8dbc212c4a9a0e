package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.TaskRules;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The assignments a worker has read and holds for a free slot, in the order they start: tenants take turns
 * by the weight the dispatcher sent with each assignment ({@code tenant}, {@code tenantWeight}), by stride
 * scheduling as the dispatcher's wait queue does, and each tenant's assignments start first in, first out
 * (the order the dispatcher sent them, its priorities included).
 *
 * <p>Why: the dispatcher's credit lets a worker hold tasks beside its slots, so that short tasks do not idle
 * the slots for a round trip. With a single first-in, first-out queue, a tenant's burst filled that queue
 * and another tenant's task, sent right after, waited for all of it (FairQueueIT); here it starts at the next
 * free slot but at most one per tenant waiting. With one tenant (or assignments from a dispatcher that sends
 * none, which all count as one tenant) the order is exactly first in, first out.
 *
 * <p><b>Turns.</b> Each tenant with waiting assignments has a pass; the one with the lowest pass (ties by name)
 * starts next and its pass advances by {@code STRIDE / weight}. A tenant that starts waiting joins at the pass
 * of the last assignment started, with no credit saved from before. Not thread-safe: the poll thread owns it.
 */
final class FairWaiting {
    /** The pass a tenant of weight 1 advances by per start; divisible by every weight up to 16. */
    static final long STRIDE = 720_720_000L;

    private static final Comparator<Line> BY_PASS =
            Comparator.comparingLong((Line l) -> l.pass).thenComparing(l -> l.tenant);

    private final Map<String, Line> lines = new HashMap<>();
    private final TreeSet<Line> turns = new TreeSet<>(BY_PASS);
    private long clock;
    private int size;

    /** One tenant's waiting assignments, oldest first, and its place in the turns. */
    private static final class Line {
        final String tenant;
        final ArrayDeque<Pending> queue = new ArrayDeque<>();
        long pass;
        int weight = 1;

        Line(String tenant, long pass) {
            this.tenant = tenant;
            this.pass = pass;
        }
    }

    void add(Pending pending) {
        String tenant = pending.assignment().getTenant();
        Line line = lines.get(tenant);
        if (line == null) {
            line = new Line(tenant, clock);
            lines.put(tenant, line);
            turns.add(line);
        }
        line.weight = Math.max(1, Math.min(TaskRules.MAX_TENANT_WEIGHT, pending.assignment().getTenantWeight()));
        line.queue.add(pending);
        size++;
    }

    /** Takes the assignment that starts next, or null when none waits. */
    Pending poll() {
        Line line = turns.pollFirst();
        if (line == null) {
            return null;
        }
        Pending next = line.queue.poll();
        size--;
        clock = line.pass;
        if (line.queue.isEmpty()) {
            lines.remove(line.tenant);
        } else {
            line.pass += STRIDE / line.weight;
            turns.add(line);
        }
        return next;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Drops the assignments {@code drop} matches (partitions taken away by a rebalance); the others keep their turns. */
    void removeIf(Predicate<Pending> drop) {
        for (Line line : lines.values().toArray(Line[]::new)) {
            int before = line.queue.size();
            line.queue.removeIf(drop);
            size -= before - line.queue.size();
            if (line.queue.isEmpty()) {
                lines.remove(line.tenant);
                turns.remove(line);
            }
        }
    }
}
