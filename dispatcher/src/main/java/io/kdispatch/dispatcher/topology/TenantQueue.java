package io.kdispatch.dispatcher.topology;

import java.util.Comparator;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.TreeSet;

/**
 * The competing waiters of one tenant in {@link WaitQueue} (a line's head, or a waiter in no line), in
 * the tenant's own order: the aged ones first, oldest first; then the others by priority, then place.
 * With aging off (or while nothing is aged) that is exactly the order the whole queue had before fair
 * queuing. Also the tenant's {@code pass}, its place in the turns between tenants (see WaitQueue).
 * Not thread-safe.
 */
final class TenantQueue {
    /** Turns between tenants: the lowest pass first, ties by tenant name (so the order is deterministic). */
    static final Comparator<TenantQueue> BY_PASS = Comparator.comparingLong((TenantQueue t) -> t.pass())
            .thenComparing(TenantQueue::tenant);

    private final String tenant;
    private final TreeSet<WaitQueue.Waiter> fresh = new TreeSet<>(WaitQueue.ORDER);
    private final TreeSet<WaitQueue.Waiter> aged = new TreeSet<>(WaitQueue.LINE_ORDER);
    private long pass;

    TenantQueue(String tenant, long pass) {
        this.tenant = tenant;
        this.pass = pass;
    }

    String tenant() {
        return tenant;
    }

    long pass() {
        return pass;
    }

    /** Changes the pass: the caller takes this queue out of any set ordered by {@link #BY_PASS} first. */
    void pass(long newPass) {
        this.pass = newPass;
    }

    void add(WaitQueue.Waiter w) {
        fresh.add(w);
    }

    boolean remove(WaitQueue.Waiter w) {
        return fresh.remove(w) || aged.remove(w);
    }

    /** The waiter has waited the aging interval: it goes ahead of every younger waiter of the tenant. */
    void promote(WaitQueue.Waiter w) {
        if (fresh.remove(w)) {
            aged.add(w);
        }
    }

    boolean isEmpty() {
        return fresh.isEmpty() && aged.isEmpty();
    }

    int size() {
        return fresh.size() + aged.size();
    }

    /** The tenant's waiters in its order (a live view: do not change the queue while iterating). */
    Iterator<WaitQueue.Waiter> inOrder() {
        Iterator<WaitQueue.Waiter> first = aged.iterator();
        Iterator<WaitQueue.Waiter> then = fresh.iterator();
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return first.hasNext() || then.hasNext();
            }

            @Override
            public WaitQueue.Waiter next() {
                if (first.hasNext()) {
                    return first.next();
                }
                if (then.hasNext()) {
                    return then.next();
                }
                throw new NoSuchElementException();
            }
        };
    }
}
