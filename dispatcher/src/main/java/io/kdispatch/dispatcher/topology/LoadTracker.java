package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.routing.LoadBoard;
import io.kdispatch.dispatcher.routing.LoadView;
import io.kdispatch.dispatcher.routing.Router;
import java.util.HashMap;
import java.util.Map;

/**
 * What this stream task believes each worker carries, and how much it may send it.
 *
 * <p><b>Load</b>: the in-flight and queued counts of the worker's latest heartbeat, plus what this task
 * sent it since that heartbeat, minus the results this task received since (never below zero). Each
 * stream task counts only its own sends and results between heartbeats, so with P partitions a worker may
 * receive up to P times its free room before its next heartbeat shows the load (documented overshoot;
 * the worker answers anything beyond what it declared it can queue REJECTED).
 *
 * <p><b>Credit</b> (flow control, Little's law): a result frees a slot only after a round trip (the
 * worker's result, this task's next send and its commit interval, the worker's fetch), so a worker that
 * holds just its capacity idles for that round trip after every task. A worker that declares its queue
 * (heartbeat {@code maxQueued}) may hold {@code capacity x (1 + GAIN x overhead / service time)}: enough waiting
 * next to its slots to cover the round trip, where the overhead is the round trip of recent results
 * without the time they ran and waited on the worker. It is at least {@code routing.prefetch} beyond the
 * capacity, at most the declared queue, and grows from the prefetch as results teach it (a slow start).
 * The service time is a moving average; the overhead is the smallest of the recent round trips
 * ({@link WindowedMin}), not their average: a task the worker had no room to fetch waits in its topic, and
 * that wait is part of the round trip but not of the worker's queue wait, so an average grew with the
 * credit it sized (FairQueueIT: every worker held its whole declared queue of 1,000 beside a 20,000-task
 * burst, 12 s of work in front of anything sent after). Long tasks get about the prefetch; 5 ms tasks behind a 100 ms round trip about 20x
 * the capacity. A worker that declares nothing (an older SDK) gets exactly the prefetch.
 *
 * <p>Kept in memory: after a restart it is relearned from the next heartbeats and results.
 *
 * <p>Every change is pushed into the {@link LoadBoard} of the current router ({@link #bind}), which is what
 * the router decides with ({@link #board}): a decision then reads no worker's load one by one.
 */
final class LoadTracker implements LoadView {
    /**
     * How many unqueued round trips the credit covers: the smallest round trip is what the pipeline takes
     * at best, and results come back in bursts (a commit interval's worth at a time), so one would idle
     * the slots between them. 2, as TCP BBR's congestion-window gain over its bandwidth-delay product.
     */
    static final double GAIN = 2;

    /**
     * The most round-trip overhead the credit covers. A healthy pipeline takes a few hundred milliseconds at most
     * (the dispatcher's commit interval, the worker's fetch, the result's way back); beyond that the round trip
     * holds a queue. The windowed minimum leaves out a queue that some recent results missed, not one they all
     * waited in: while the dispatchers fell behind reading a burst, every result waited for them, the credit grew
     * with their lag, and the stream tasks filled the workers' topics with thousands (FairQueueIT: 52-212x runs).
     */
    static final double MAX_OVERHEAD_MS = 1_000;

    /** Weight of the newest sample in the service-time moving average. */
    static final double ALPHA = 0.2;

    private final Map<String, Integer> reported = new HashMap<>();
    private final Map<String, Long> reportedAt = new HashMap<>();
    private final Map<String, Integer> sentSince = new HashMap<>();
    private final Map<String, Double> serviceTime = new HashMap<>();
    private final Map<String, WindowedMin> overhead = new HashMap<>();
    private final Map<String, Integer> declaredQueue = new HashMap<>();
    private LoadBoard board;
    private final LoadView ceiling = new LoadView() {
        @Override
        public int load(String workerId) {
            return LoadTracker.this.load(workerId);
        }

        @Override
        public int limit(String workerId, int capacity, int prefetch) {
            int declared = declaredQueue.getOrDefault(workerId, -1);
            return capacity + Math.max(prefetch, declared);
        }

        @Override
        public double serviceTimeMs(String workerId) {
            return LoadTracker.this.serviceTimeMs(workerId);
        }
    };

    /** Indexes these loads for {@code router}: call whenever the fleet's router is replaced. */
    void bind(Router router) {
        board = router.board(this);
    }

    /** The loads as the router that was last {@linkplain #bind bound} reads them; this tracker before that. */
    LoadView board() {
        return board == null ? this : board;
    }

    private void push(String workerId) {
        if (board != null) {
            board.refresh(workerId);
        }
    }

    /**
     * The same loads with each worker's limit at the most it said it can hold (capacity + its declared queue;
     * capacity + prefetch when it declares none), not at its credit: for a task its tenant's share entitles
     * to go past the credit (RoutingPort).
     */
    LoadView ceiling() {
        return ceiling;
    }

    /**
     * Takes a worker's heartbeat; a newer one replaces the count of tasks sent and finished since the last.
     *
     * @param maxQueued what the worker says it holds beyond its capacity, or negative when it says nothing
     */
    void observe(String workerId, int inFlight, int queued, int maxQueued, long receivedAtMs) {
        Long previous = reportedAt.put(workerId, receivedAtMs);
        reported.put(workerId, inFlight + queued);
        declaredQueue.put(workerId, maxQueued);
        if (previous == null || previous != receivedAtMs) {
            sentSince.remove(workerId);
        }
        push(workerId);
    }

    /** Forgets a worker that left the view. */
    void forget(String workerId) {
        reported.remove(workerId);
        reportedAt.remove(workerId);
        sentSince.remove(workerId);
        serviceTime.remove(workerId);
        overhead.remove(workerId);
        declaredQueue.remove(workerId);
        push(workerId);
    }

    void sent(String workerId) {
        sentSince.merge(workerId, 1, Integer::sum);
        push(workerId);
    }

    /** A result of a task this stream task sent: one fewer outstanding, also if the last heartbeat counted it. */
    void finished(String workerId) {
        int floor = -reported.getOrDefault(workerId, 0);
        sentSince.compute(workerId, (w, n) -> Math.max(floor, (n == null ? 0 : n) - 1));
        push(workerId);
    }

    /**
     * A completed attempt: updates the service time and, when the worker measured its wait
     * ({@code queuedMs >= 0}), the round-trip overhead.
     *
     * @param roundTripMs from its send to its result, on this dispatcher's clock
     */
    void completed(String workerId, long durationMs, long roundTripMs, long queuedMs) {
        finished(workerId);
        serviceTime.merge(workerId, (double) durationMs, LoadTracker::average);
        if (queuedMs >= 0 && roundTripMs >= 0) {
            overhead.computeIfAbsent(workerId, w -> new WindowedMin())
                    .add(Math.max(0, roundTripMs - durationMs - queuedMs));
        }
        push(workerId);
    }

    @Override
    public int load(String workerId) {
        return reported.getOrDefault(workerId, 0) + sentSince.getOrDefault(workerId, 0);
    }

    @Override
    public int limit(String workerId, int capacity, int prefetch) {
        int declared = declaredQueue.getOrDefault(workerId, -1);
        if (declared < 0) {
            return capacity + prefetch;
        }
        double service = serviceTime.getOrDefault(workerId, Double.NaN);
        WindowedMin base = overhead.get(workerId);
        double over = base == null ? Double.NaN : Math.min(MAX_OVERHEAD_MS, base.value());
        long credit = prefetch;
        if (!Double.isNaN(service) && !Double.isNaN(over)) {
            // a 0 ms service time (a no-op handler) counts as 1 ms: the credit stays finite
            credit = Math.max(prefetch, (long) Math.ceil(GAIN * capacity * over / Math.max(1.0, service)));
        }
        return capacity + (int) Math.min(credit, declared);
    }

    @Override
    public double serviceTimeMs(String workerId) {
        return serviceTime.getOrDefault(workerId, Double.NaN);
    }

    private static double average(double old, double sample) {
        return (1 - ALPHA) * old + ALPHA * sample;
    }
}
