package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.AttemptState;
import io.kdispatch.dispatcher.quota.InFlight;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the dispatch processor looks up besides a task's own attempt, derived from the attempts store
 * and kept in memory: leases by deadline (so a tick touches only what expired), assigned attempts by
 * worker and incarnation (so a lost worker or a restart releases exactly its attempts), the workers each
 * anti-affinity group occupies, what each affinity key has in flight where, what each task type, tenant and key
 * has in flight (for the quotas), and the wait queue.
 *
 * <p>The attempts store is the single source of truth; this index is rebuilt from it on start and
 * updated with every change, so it needs no changelog of its own. Not thread-safe.
 */
final class AttemptIndex {
    private record Lease(long deadlineMs, String taskId) {
    }

    private static final Comparator<Lease> BY_DEADLINE = Comparator.comparingLong(Lease::deadlineMs)
            .thenComparing(Lease::taskId);

    private final Set<String> live = new HashSet<>();
    private final TreeSet<Lease> leases = new TreeSet<>(BY_DEADLINE);
    private final Map<String, Map<Long, Set<String>>> byWorker = new HashMap<>();
    private final Map<String, Map<String, String>> groups = new HashMap<>();
    private final Map<String, Map<String, Integer>> keyLoad = new HashMap<>();
    private final WaitQueue waiting = new WaitQueue();
    private final InFlight inFlight = new InFlight();
    private int assigned;

    void add(Attempt a, long seq, long sinceMs) {
        live.add(a.taskId());
        if (a.state() == AttemptState.ASSIGNED) {
            assigned++;
            inFlight.add(a.taskId(), a.task().type(), a.task().tenant(), a.task().affinityKey());
            leases.add(new Lease(a.leaseDeadlineMs(), a.taskId()));
            byWorker.computeIfAbsent(a.workerId(), w -> new HashMap<>())
                    .computeIfAbsent(a.incarnation(), i -> new HashSet<>()).add(a.taskId());
            if (a.task().group() != null) {
                groups.computeIfAbsent(a.task().group(), g -> new HashMap<>()).put(a.taskId(), a.workerId());
            }
            if (a.task().affinityKey() != null) {
                keyLoad.computeIfAbsent(a.task().affinityKey(), k -> new HashMap<>()).merge(a.workerId(), 1, Integer::sum);
            }
        } else if (a.state().isWaiting()) {
            waiting.add(waiter(a, seq, sinceMs));
        }
    }

    void remove(Attempt a, long seq, long sinceMs) {
        live.remove(a.taskId());
        if (a.state() == AttemptState.ASSIGNED) {
            assigned--;
            inFlight.remove(a.taskId(), a.task().type(), a.task().tenant(), a.task().affinityKey());
            leases.remove(new Lease(a.leaseDeadlineMs(), a.taskId()));
            removeNested(byWorker, a.workerId(), a.incarnation(), a.taskId());
            if (a.task().group() != null) {
                removeEntry(groups, a.task().group(), a.taskId());
            }
            if (a.task().affinityKey() != null) {
                Map<String, Integer> load = keyLoad.get(a.task().affinityKey());
                if (load != null && load.computeIfPresent(a.workerId(), (w, n) -> n > 1 ? n - 1 : null) == null
                        && load.isEmpty()) {
                    keyLoad.remove(a.task().affinityKey());
                }
            }
        } else if (a.state().isWaiting()) {
            waiting.remove(waiter(a, seq, sinceMs));
        }
    }

    /** True when {@code taskId} has a live attempt: false spares the store a look-up for every new task. */
    boolean isLive(String taskId) {
        return live.contains(taskId);
    }

    /** Task IDs whose lease ended at or before {@code nowMs}, earliest first, at most {@code limit}. */
    List<String> expired(long nowMs, int limit) {
        List<String> out = new ArrayList<>();
        for (Lease l : leases) {
            if (l.deadlineMs() > nowMs || out.size() >= limit) {
                break;
            }
            out.add(l.taskId());
        }
        return out;
    }

    /** Workers holding assigned attempts, with the incarnations they were sent to. */
    Map<String, Set<Long>> holders() {
        Map<String, Set<Long>> out = new HashMap<>();
        byWorker.forEach((w, incarnations) -> out.put(w, new HashSet<>(incarnations.keySet())));
        return out;
    }

    /** Task IDs assigned to {@code incarnation} of {@code workerId} (a copy). */
    List<String> heldBy(String workerId, long incarnation) {
        Map<Long, Set<String>> incarnations = byWorker.get(workerId);
        Set<String> tasks = incarnations == null ? null : incarnations.get(incarnation);
        return tasks == null ? List.of() : new ArrayList<>(tasks);
    }

    /** Workers running a live member of {@code group} other than {@code taskId}. */
    Set<String> occupied(String group, String taskId) {
        Map<String, String> members = group == null ? null : groups.get(group);
        if (members == null) {
            return Set.of();
        }
        Set<String> workers = new HashSet<>();
        members.forEach((task, worker) -> {
            if (!task.equals(taskId)) {
                workers.add(worker);
            }
        });
        return workers;
    }

    /** Attempts of affinity key {@code key} in flight on {@code workerId}. */
    int keyInFlight(String key, String workerId) {
        Map<String, Integer> load = keyLoad.get(key);
        return load == null ? 0 : load.getOrDefault(workerId, 0);
    }

    /** True when the key has anything in flight or waiting. */
    boolean keyActive(String key) {
        return keyLoad.containsKey(key) || waiting.lineWaiting(key);
    }

    WaitQueue waiting() {
        return waiting;
    }

    /** Assigned attempts counted per task type, tenant and affinity key (what the quotas read). */
    InFlight inFlight() {
        return inFlight;
    }

    int assigned() {
        return assigned;
    }

    /** The wait-queue entry of a waiting attempt: fresh attempts of a key queue in the key's line. */
    static WaitQueue.Waiter waiter(Attempt a, long seq, long sinceMs) {
        String line = a.retry() ? null : a.task().affinityKey();
        return new WaitQueue.Waiter(a.task().priority(), seq, a.taskId(), line, a.task().tenant(), sinceMs);
    }

    private static void removeNested(Map<String, Map<Long, Set<String>>> map, String worker, long incarnation,
                                     String taskId) {
        Map<Long, Set<String>> incarnations = map.get(worker);
        if (incarnations == null) {
            return;
        }
        Set<String> tasks = incarnations.get(incarnation);
        if (tasks != null && tasks.remove(taskId) && tasks.isEmpty()) {
            incarnations.remove(incarnation);
            if (incarnations.isEmpty()) {
                map.remove(worker);
            }
        }
    }

    private static void removeEntry(Map<String, Map<String, String>> map, String outer, String inner) {
        Map<String, String> m = map.get(outer);
        if (m != null && m.remove(inner) != null && m.isEmpty()) {
            map.remove(outer);
        }
    }
}
