package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.quota.Fairness;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The waiting attempts of one stream task, in the order they get their chance: tenants take turns by
 * weight (stride scheduling, a deterministic weighted fair queuing), and within a tenant the highest
 * priority goes first, then the oldest (by place in the queue, not by wall clock, which may step back).
 *
 * <p>Tasks of one affinity key leave in intake order whatever their priorities and tenants: a key's fresh
 * attempts queue in a line of their own and only the line's head competes, in its own tenant's order, so a
 * later task of a key can never overtake an earlier one (DESIGN.md: a key's tasks reach their worker in
 * intake order). Retries are not held to this; they queue on their own.
 *
 * <p><b>Turns.</b> Each tenant with competing waiters has a pass; {@link #head} merges the tenants' orders,
 * always taking the next task of the tenant with the lowest pass and advancing that tenant's pass by its
 * stride ({@code STRIDE / weight}) for the rest of the list. A tenant's real pass advances only when one of
 * its tasks is sent ({@link #served}), so a tenant whose tasks cannot go (its quota, no eligible worker) does
 * not lose its turns, and the others' dispatches go on (work-conserving). Passes never lag the queue's virtual
 * clock (the pass at which the last task was served): a tenant that starts waiting, or one that could not go
 * for a while, rejoins at the clock, with no credit to burst with. <b>Bound:</b> every tenant's pass stays within
 * one stride above the clock, so among the first n entries of {@code head} (and among n dispatches, while every
 * waiting tenant's tasks can go), a tenant of weight w, of total weight W over T waiting tenants, has at least
 * {@code (n - T) * w / W - 1} entries, however many tasks the others have waiting (WaitQueuePropertyTest).
 *
 * <p><b>Aging.</b> A competing waiter that has waited {@link Fairness#agingMs()} (its {@code sinceMs}, the
 * caller's clock) goes ahead of every younger waiter of its tenant, whatever their priorities; aged waiters go
 * oldest first. So under any load of higher-priority tasks, a task is among its tenant's first k + 1 entries
 * once it has waited the aging interval (k: its tenant's aged waiters older than it, a number that can only
 * shrink), and leaves within k + 1 of its tenant's dispatches while the fleet has room for them. Aging is
 * applied by {@link #head}, with the {@code now} it is given; the queue reads no clock.
 *
 * <p>Derived state: rebuilt from the attempts store on start, kept in memory (passes start equal). Every add
 * and remove is O(log n); {@code head(limit)} is O(limit log n) plus the waiters that age. Not thread-safe.
 */
final class WaitQueue {
    /** One waiting attempt: its tenant, its place in the tenant's order, and when it started waiting. */
    record Waiter(int priority, long seq, String taskId, String line, String tenant, long sinceMs) {
    }

    /** Highest priority first: compared, not negated (-Integer.MIN_VALUE is itself, which put the lowest first). */
    static final Comparator<Waiter> ORDER = ((Comparator<Waiter>) (a, b) ->
            Integer.compare(b.priority(), a.priority()))
            .thenComparingLong(Waiter::seq).thenComparing(Waiter::taskId);

    /** A line is ordered by place alone: whatever the order of removals and additions, it stays FIFO. */
    static final Comparator<Waiter> LINE_ORDER = Comparator.comparingLong(Waiter::seq)
            .thenComparing(Waiter::taskId);

    /** The pass a tenant of weight 1 advances by per task; divisible by every weight up to 16. */
    static final long STRIDE = 720_720_000L;

    private final Map<String, TreeSet<Waiter>> lines = new HashMap<>();
    private final Map<String, TenantQueue> tenants = new HashMap<>();
    /** Made once: read per decision (RoutingPort's share). */
    private final java.util.Set<String> tenantNames = java.util.Collections.unmodifiableSet(tenants.keySet());
    private final TreeSet<TenantQueue> turns = new TreeSet<>(TenantQueue.BY_PASS);
    /** Competing waiters not aged yet, oldest place first: aging looks only at the front. */
    private final TreeSet<Waiter> young = new TreeSet<>(LINE_ORDER);
    private Fairness fairness = Fairness.DEFAULTS;
    private long clock;
    private int size;

    /** Takes new weights and aging; a waiter already aged stays aged. */
    void fairness(Fairness rules) {
        this.fairness = rules;
    }

    /** The tenants with tasks competing for a turn (a live, read-only view). */
    java.util.Set<String> tenantNames() {
        return tenantNames;
    }

    /** The weight of {@code tenant} under the current rules (sent with each assignment, for the worker's own turns). */
    int weight(String tenant) {
        return fairness.weight(tenant);
    }

    /** Adds a waiter; one with a {@code line} (an affinity key) queues behind that line's earlier waiters. */
    void add(Waiter w) {
        size++;
        if (w.line() == null) {
            compete(w);
            return;
        }
        TreeSet<Waiter> line = lines.computeIfAbsent(w.line(), k -> new TreeSet<>(LINE_ORDER));
        Waiter head = line.isEmpty() ? null : line.first();
        line.add(w);
        if (head == null) {
            compete(w);
        } else if (line.first() == w) { // it goes before the line's head: it heads the line now
            withdraw(head);
            compete(w);
        }
    }

    /** Removes a waiter; when it headed its line, the next of the line competes. */
    void remove(Waiter w) {
        boolean removed = withdraw(w);
        if (w.line() == null) {
            size -= removed ? 1 : 0;
            return;
        }
        TreeSet<Waiter> line = lines.get(w.line());
        if (line == null || !line.remove(w)) {
            return;
        }
        size--;
        if (line.isEmpty()) {
            lines.remove(w.line());
        } else if (removed) {
            compete(line.first());
        }
    }

    /**
     * One of {@code tenant}'s tasks was sent: the tenant's turn is used. A tenant with nothing waiting has no
     * turns to use (its direct dispatches do not count against a later wait).
     */
    void served(String tenant) {
        TenantQueue t = tenants.get(tenant);
        if (t == null) {
            return;
        }
        turns.remove(t);
        long start = Math.max(t.pass(), clock);
        clock = start;
        t.pass(start + stride(tenant));
        turns.add(t);
    }

    /**
     * The first {@code limit} task IDs in the fair order as of {@code nowMs} (a copy: the caller may change
     * the queue meanwhile; a task it removes is simply not found when its turn comes).
     */
    List<String> head(int limit, long nowMs) {
        age(nowMs);
        List<String> head = new ArrayList<>(Math.min(limit, young.size() + 16));
        PriorityQueue<Cursor> merge = new PriorityQueue<>();
        Iterator<TenantQueue> byPass = turns.iterator();
        Cursor pending = byPass.hasNext() ? cursor(byPass.next()) : null;
        while (head.size() < limit) {
            if (pending != null && (merge.isEmpty() || pending.compareTo(merge.peek()) < 0)) {
                merge.add(pending); // tenants join the merge only when their turn comes: O(limit), not O(tenants)
                pending = byPass.hasNext() ? cursor(byPass.next()) : null;
                continue;
            }
            Cursor c = merge.poll();
            if (c == null) {
                break;
            }
            head.add(c.waiters.next().taskId());
            if (c.waiters.hasNext()) {
                c.pass += stride(c.tenant);
                merge.add(c);
            }
        }
        return head;
    }

    /** True when an attempt other than {@code taskId} waits in line {@code line} ahead of it. */
    boolean waitingAhead(String line, String taskId) {
        TreeSet<Waiter> l = lines.get(line);
        return l != null && !l.isEmpty() && !l.first().taskId().equals(taskId);
    }

    /** True when anything waits in line {@code line}. */
    boolean lineWaiting(String line) {
        return lines.containsKey(line);
    }

    /** Waiting attempts, lines included. */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Tenants with competing waiters. */
    int tenants() {
        return tenants.size();
    }

    private void compete(Waiter w) {
        TenantQueue t = tenants.get(w.tenant());
        if (t == null) {
            t = new TenantQueue(w.tenant(), clock); // a tenant that starts waiting rejoins at the clock
            tenants.put(w.tenant(), t);
            turns.add(t);
        }
        t.add(w);
        young.add(w);
    }

    /** Takes a competing waiter out of its tenant's order; false when it was not competing. */
    private boolean withdraw(Waiter w) {
        TenantQueue t = tenants.get(w.tenant());
        if (t == null || !t.remove(w)) {
            return false;
        }
        young.remove(w);
        if (t.isEmpty()) {
            turns.remove(t);
            tenants.remove(w.tenant());
        }
        return true;
    }

    /** Promotes the waiters that have waited the aging interval, oldest place first. */
    private void age(long nowMs) {
        if (!fairness.aging()) {
            return;
        }
        while (!young.isEmpty() && nowMs - young.first().sinceMs() >= fairness.agingMs()) {
            Waiter w = young.pollFirst();
            tenants.get(w.tenant()).promote(w);
        }
    }

    private long stride(String tenant) {
        return STRIDE / fairness.weight(tenant);
    }

    private Cursor cursor(TenantQueue t) {
        return new Cursor(t.tenant(), Math.max(t.pass(), clock), t.pass(), t.inOrder());
    }

    /** A tenant's place in one {@link #head} merge: its pass as the merge advances it, and its next waiters. */
    private static final class Cursor implements Comparable<Cursor> {
        private final String tenant;
        private final long base;
        private final Iterator<Waiter> waiters;
        private long pass;

        Cursor(String tenant, long pass, long base, Iterator<Waiter> waiters) {
            this.tenant = tenant;
            this.pass = pass;
            this.base = base;
            this.waiters = waiters;
        }

        /** By pass, then as {@link TenantQueue#BY_PASS} (stored pass, name), so joining in turn order is exact. */
        @Override
        public int compareTo(Cursor o) {
            int c = Long.compare(pass, o.pass);
            if (c == 0) {
                c = Long.compare(base, o.base);
            }
            return c != 0 ? c : tenant.compareTo(o.tenant);
        }
    }
}
