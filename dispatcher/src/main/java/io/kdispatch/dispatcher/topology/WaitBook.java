package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.routing.ParkKind;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * Why each waiting task of one stream task waits now (the class of its last park reason) and since when: what
 * the waiting-by-reason gauges and the per-tenant wait timer read. In memory only: after a restart a waiting
 * task is unclassified until its next chance (the next tick), and its wait is counted from then.
 * Not thread-safe.
 */
final class WaitBook {
    private record Entry(ParkKind kind, long sinceMs) {
    }

    private final Map<String, Entry> byTask = new HashMap<>();
    private final Map<ParkKind, Integer> counts = new EnumMap<>(ParkKind.class);

    /** {@code taskId} waits for {@code kind} at {@code nowMs}; true when that is new or another class than before. */
    boolean parked(String taskId, ParkKind kind, long nowMs) {
        Entry before = byTask.get(taskId);
        if (before != null && before.kind() == kind) {
            return false;
        }
        byTask.put(taskId, new Entry(kind, before == null ? nowMs : before.sinceMs()));
        counts.merge(kind, 1, Integer::sum);
        if (before != null) {
            counts.merge(before.kind(), -1, Integer::sum);
        }
        return true;
    }

    /** {@code taskId} waits no longer; returns since when it waited, or -1 when it did not. */
    long left(String taskId) {
        Entry e = byTask.remove(taskId);
        if (e == null) {
            return -1;
        }
        counts.merge(e.kind(), -1, Integer::sum);
        return e.sinceMs();
    }

    /** Waiting tasks per class label; {@code unclassified} for the rest of {@code waiting} (after a restart). */
    Map<String, Long> byReason(long waiting) {
        Map<String, Long> out = new HashMap<>();
        long classified = 0;
        for (ParkKind k : ParkKind.values()) {
            long n = counts.getOrDefault(k, 0);
            out.put(k.label(), n);
            classified += n;
        }
        out.put(UNCLASSIFIED, Math.max(0, waiting - classified));
        return out;
    }

    static final String UNCLASSIFIED = "unclassified";
}
