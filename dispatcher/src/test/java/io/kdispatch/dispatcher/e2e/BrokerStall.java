package io.kdispatch.dispatcher.e2e;

import io.kdispatch.dispatcher.simulate.Trace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How long a recorded run's worker slots sat idle while a backlog waited (at least as many tasks waiting as the
 * fleet has slots, so that every idle slot could have been busy), per slot: what the host's pauses (a starved
 * CPU, a collection, a slow commit) cost every task queued behind them. With a smaller backlog, idle slots are
 * the transport's, which the simulator models. The simulator's fixed-delay
 * transport has no such pauses, so the agreement test allows the broker's waits to be longer by this much.
 * Slots are the capacities the workers' heartbeats declared; a task waits from its intake record to the start
 * of its successful attempt.
 */
final class BrokerStall {
    private BrokerStall() {
    }

    private record Step(long atMs, int order, int waiting, String worker, int running) {
    }

    /** Idle slot-milliseconds while the backlog was at least the fleet's slots, over the fleet's slots. */
    static long perSlotMs(Trace trace) {
        Map<String, Integer> capacity = new HashMap<>();
        trace.heartbeats().forEach(h -> capacity.put(h.worker(), h.capacity()));
        Set<String> ids = new HashSet<>();
        List<Step> steps = new ArrayList<>();
        trace.tasks().forEach(t -> {
            ids.add(t.task().id());
            steps.add(new Step(t.atMs(), 1, 1, null, 0));
        });
        for (Trace.Result r : trace.results()) {
            if (r.status().equals("SUCCEEDED") && ids.remove(r.task())) {
                steps.add(new Step(r.startedAtMs(), 2, -1, r.worker(), 1));
                steps.add(new Step(r.startedAtMs() + r.durationMs(), 0, 0, r.worker(), -1));
            }
        }
        steps.sort(Comparator.comparingLong(Step::atMs).thenComparingInt(Step::order));
        Map<String, Integer> running = new HashMap<>();
        int slots = capacity.values().stream().mapToInt(Integer::intValue).sum();
        long idle = 0;
        long last = Long.MIN_VALUE;
        int waiting = 0;
        for (Step s : steps) {
            if (waiting >= slots && last != Long.MIN_VALUE) {
                int busy = running.values().stream().mapToInt(Integer::intValue).sum();
                idle += (long) Math.max(0, slots - busy) * (s.atMs() - last);
            }
            last = s.atMs();
            waiting += s.waiting();
            if (s.worker() != null) {
                running.merge(s.worker(), s.running(), Integer::sum);
            }
        }
        return slots == 0 ? 0 : idle / slots;
    }
}
