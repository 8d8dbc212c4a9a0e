package io.kdispatch.dispatcher.topology;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Test code: the wait queue as it was before fair queuing (one order for every tenant), which each tenant's
 * order in {@link WaitQueue} must equal while nothing is aged.
 *
 * <p>The waiting attempts of one stream task, in the order they get their chance: highest priority first,
 * then oldest (by place in the queue, not by wall clock, which may step back).
 *
 * <p>Tasks of one affinity key leave in intake order whatever their priorities: a key's fresh attempts
 * queue in a line of their own and only the line's head takes part in the global order, so a later task
 * of a key can never overtake an earlier one (DESIGN.md: a key's tasks reach their worker in intake
 * order). Retries are not held to this; they queue on their own.
 *
 * <p>Derived state: rebuilt from the attempts store on start, kept in memory. Not thread-safe.
 */
final class ReferenceWaitQueue {
    /** One waiting attempt: its place in the global order. */
    record Waiter(int priority, long seq, String taskId, String line) {
    }

    /** Highest priority first: compared, not negated (-Integer.MIN_VALUE is itself, which put the lowest first). */
    private static final Comparator<Waiter> ORDER = ((Comparator<Waiter>) (a, b) ->
            Integer.compare(b.priority(), a.priority()))
            .thenComparingLong(Waiter::seq).thenComparing(Waiter::taskId);

    /** A line is ordered by place alone: whatever the order of removals and additions, it stays FIFO. */
    private static final Comparator<Waiter> LINE_ORDER = Comparator.comparingLong(Waiter::seq)
            .thenComparing(Waiter::taskId);

    private final TreeSet<Waiter> global = new TreeSet<>(ORDER);
    private final Map<String, TreeSet<Waiter>> lines = new HashMap<>();
    private int size;

    /** Adds a waiter; one with a {@code line} (an affinity key) queues behind that line's earlier waiters. */
    void add(Waiter w) {
        size++;
        if (w.line() == null) {
            global.add(w);
            return;
        }
        TreeSet<Waiter> line = lines.computeIfAbsent(w.line(), k -> new TreeSet<>(LINE_ORDER));
        Waiter head = line.isEmpty() ? null : line.first();
        line.add(w);
        if (head == null) {
            global.add(w);
        } else if (line.first() == w) { // it goes before the line's head: it heads the line now
            global.remove(head);
            global.add(w);
        }
    }

    /** Removes a waiter; when it headed its line, the next of the line joins the global order. */
    void remove(Waiter w) {
        boolean removed = global.remove(w);
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
            global.add(line.first());
        }
    }

    /** The first {@code limit} task IDs in order (a copy: the caller may change the queue meanwhile). */
    List<String> head(int limit) {
        List<String> head = new ArrayList<>(Math.min(limit, global.size()));
        for (Waiter w : global) {
            if (head.size() >= limit) {
                break;
            }
            head.add(w.taskId());
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

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
