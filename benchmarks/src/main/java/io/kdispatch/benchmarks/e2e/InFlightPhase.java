package io.kdispatch.benchmarks.e2e;

import io.kdispatch.schemas.Topics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Every preloaded task in flight at once in a dispatcher held to {@link #HEAP_LIMIT}, then a restart that
 * must restore them all (phase {@code in-flight}, opt-in: {@code --phases in-flight --tasks 1000000}).
 *
 * <p>One simulated worker, {@code holder}, announces the largest capacity and never finishes anything, so
 * every task ends up assigned to it and stays in flight. Once all of them are on its topic the dispatcher
 * is stopped, {@code holder} stops heartbeating, another simulated worker {@code heir} appears, and a new
 * dispatcher starts on an <em>empty</em> state directory (as a rescheduled pod would): it has to rebuild
 * the in-flight tasks from the changelogs, see {@code holder} die and send every one of them to
 * {@code heir}. The figure is how long that took, counted as distinct task IDs on {@code heir}'s topic;
 * the heap figures are both dispatchers' peaks from their GC logs.
 */
final class InFlightPhase {
    /** The heap every dispatcher of this phase gets: the bound for 1,000,000 tasks in flight. */
    static final String HEAP_LIMIT = "-Xmx512m";
    /** The limit, and a process that ends when it is not enough (a stream thread would be replaced instead). */
    private static final List<String> JVM_ARGS = List.of(HEAP_LIMIT, "-XX:+ExitOnOutOfMemoryError");
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(20);
    private static final String HOLDER = "holder";
    private static final String HEIR = "heir";

    private final BenchCluster cluster;
    private final Phases phases;

    InFlightPhase(BenchCluster cluster, Phases phases) {
        this.cluster = cluster;
        this.phases = phases;
    }

    PhaseResult run(String name, long tasks) {
        Topics topics = phases.preloaded(name);
        long started = System.nanoTime();
        GcLog.Summary holding;
        long holdingLive;
        try (SimulatedFleet holder = SimulatedFleet.start(cluster, topics, List.of(HOLDER));
             OutputCounter held = OutputCounter.distinctKeys(cluster.bootstrap(),
                     Phases.exactly(topics.workerTopic(HOLDER)));
             DispatcherProcesses first = phases.dispatchers(name, 1, topics, JVM_ARGS)) {
            await(held, tasks, first, "every task assigned to " + HOLDER);
            holdingLive = first.processes().get(0).liveHeapMb();
            first.close();
            holding = first.gc();
        }
        double heldSeconds = seconds(started);
        long restarted = System.nanoTime();
        try (SimulatedFleet heir = SimulatedFleet.start(cluster, topics, List.of(HEIR));
             OutputCounter moved = OutputCounter.distinctKeys(cluster.bootstrap(),
                     Phases.exactly(topics.workerTopic(HEIR)));
             DispatcherProcesses second = phases.dispatchers(name + "-restarted", 1, topics, JVM_ARGS)) {
            await(moved, tasks, second, "every task restored and re-dispatched to " + HEIR);
            double seconds = seconds(restarted);
            ChildJvm process = second.processes().get(0);
            RateWindow.Measurement m = new RateWindow.Measurement(moved.count(), seconds, process.cpu(), "");
            long restoredLive = process.liveHeapMb();
            second.close();
            GcLog.Summary restoring = second.gc();
            String note = String.format("%,d in flight after %.0f s (live heap %d MB after a full GC, peak %d MB, under "
                            + "%s); restarted on an empty state directory, all restored and re-dispatched in %.0f s "
                            + "(live %d MB, peak %d MB, %d full GCs)", tasks, heldSeconds, holdingLive,
                    holding.peakUsedMb(), HEAP_LIMIT, seconds, restoredLive, restoring.peakUsedMb(),
                    GcLog.fullCollections(process.gcLogPath()));
            return new PhaseResult(name, "all tasks in flight, then a restart that restores them", m, Double.NaN,
                    larger(holding, restoring), null, Double.NaN, note);
        }
    }

    /** Waits until {@code counter} saw {@code expected} distinct tasks; fails if the dispatcher dies. */
    private static void await(OutputCounter counter, long expected, DispatcherProcesses dispatcher, String what) {
        long deadline = System.nanoTime() + STEP_TIMEOUT.toNanos();
        while (counter.count() < expected) {
            dispatcher.processes().forEach(ChildJvm::requireAlive); // an OutOfMemoryError ends it here
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not " + what + " within " + STEP_TIMEOUT + ": " + counter.count()
                        + " of " + expected);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
        }
    }

    private static GcLog.Summary larger(GcLog.Summary a, GcLog.Summary b) {
        return new GcLog.Summary(Math.max(a.peakUsedMb(), b.peakUsedMb()), Math.max(a.peakLiveMb(), b.peakLiveMb()),
                a.pauses() + b.pauses(), a.pauseMs() + b.pauseMs());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
