package io.kdispatch.benchmarks.e2e;

import io.kdispatch.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * The rate phases of a run. Each has its own topic prefix on the shared broker, an intake preloaded
 * with the same serialized tasks before anything consumes it (so producer speed is not measured), and
 * an independent counter reading the output from the outside.
 */
final class Phases {
    private final BenchCluster cluster;
    private final HarnessOptions options;
    private final TaskCorpus corpus;
    private final List<Path> profiles = new ArrayList<>();
    private int sequence;

    Phases(BenchCluster cluster, HarnessOptions options, TaskCorpus corpus) {
        this.cluster = cluster;
        this.options = options;
        this.corpus = corpus;
    }

    /** Collapsed-stack files written by profiled phases. */
    List<Path> profiles() {
        return List.copyOf(profiles);
    }

    /**
     * Warms the broker (its JIT, page cache and log segments) with the traffic of a baseline, unmeasured:
     * otherwise the first phase of a run meets a cold broker and the denominator of every ratio is low.
     */
    void warmBroker() {
        Topics topics = repeatedIntake("warm-up");
        try (OutputCounter counter = OutputCounter.counting(cluster.bootstrap(), exactly(topics.tasks()))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2); // unmeasured: a slow read only warms less
            while (counter.count() < repeatedCount() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
        }
    }

    /** A fresh topic prefix for {@code name} whose intake holds the corpus {@code baselineRepeat} times. */
    private Topics repeatedIntake(String name) {
        Topics topics = fresh(name);
        cluster.createTopics(List.of(topics.tasks()), cluster.partitions());
        cluster.preload(topics.tasks(), corpus, options.baselineRepeat());
        return topics;
    }

    private long repeatedCount() {
        return (long) corpus.size() * options.baselineRepeat();
    }

    /**
     * A plain Streams byte copy of the intake under {@code guarantee}. Its intake holds the corpus
     * {@link HarnessOptions#baselineRepeat()} times: the copy is many times faster than the dispatcher and
     * would otherwise be measured before its JIT has settled.
     */
    PhaseResult baseline(String name, String guarantee) {
        Topics topics = repeatedIntake(name);
        String sink = topics.prefix() + ".copy";
        cluster.createTopics(List.of(sink), cluster.partitions());
        List<String> args = List.of(cluster.bootstrap(), "bench-" + topics.prefix(),
                options.runDir().resolve(name + "-state").toString(), topics.tasks(), sink, guarantee);
        try (OutputCounter counter = OutputCounter.counting(cluster.bootstrap(), exactly(sink));
             ChildJvm copy = ChildJvm.start(name, options.runDir(), jvmArgs(name), PassthroughMain.class.getName(),
                     args)) {
            RateWindow.Measurement m = measure(name, counter, repeatedCount(), List.of(copy), List.of());
            copy.close();
            return new PhaseResult(name, "Streams byte copy, " + guarantee, m, Double.NaN, copy.gc(), null,
                    Double.NaN, m.note());
        }
    }

    /** Intake to worker topics, {@code instances} dispatchers, {@code fleet} simulated workers with room. */
    PhaseResult dispatch(String name, int instances, int fleet) {
        Topics topics = preloaded(name);
        try (SimulatedFleet workers = SimulatedFleet.start(cluster, topics, fleet);
             OutputCounter counter = OutputCounter.counting(cluster.bootstrap(), workerTopics(topics));
             DispatcherProcesses dispatchers = dispatchers(name, instances, topics)) {
            RateWindow.Measurement m = measure(name, counter, dispatchers.processes());
            dispatchers.close();
            return new PhaseResult(name, "intake -> worker topics, " + instances + " dispatcher(s), " + fleet
                    + " registered workers", m, Double.NaN, dispatchers.gc(), null, Double.NaN, m.note());
        }
    }

    /** Intake to results through SDK workers that run no-op tasks: the whole loop, assignments closed. */
    PhaseResult fullLoop(String name) {
        Topics topics = preloaded(name);
        try (ChildJvm workers = workers(name, topics, options.loopWorkers(), options.loopCapacity(), 0);
             OutputCounter counter = OutputCounter.counting(cluster.bootstrap(), exactly(topics.results()));
             DispatcherProcesses dispatchers = dispatchers(name, 1, topics)) {
            RateWindow.Measurement m = measure(name, counter, dispatchers.processes(), List.of(workers));
            dispatchers.close();
            return new PhaseResult(name, "intake -> results, " + options.loopWorkers() + " SDK workers x "
                    + options.loopCapacity() + " slots, no-op tasks", m, Double.NaN, dispatchers.gc(), null,
                    Double.NaN, m.note());
        }
    }

    /** Results per second from a fleet of short tasks, against what the fleet could do at best. */
    PhaseResult shortTasks(String name) {
        HarnessOptions.ShortTasks fleet = options.shortTasks();
        Topics topics = preloaded(name);
        try (ChildJvm workers = workers(name, topics, fleet.workers(), fleet.slots(), fleet.workMs());
             OutputCounter counter = OutputCounter.counting(cluster.bootstrap(), exactly(topics.results()));
             DispatcherProcesses dispatchers = dispatchers(name, 1, topics)) {
            RateWindow.Measurement m = measure(name, counter, dispatchers.processes(), List.of(workers));
            dispatchers.close();
            double utilisation = m.rate() / fleet.idealPerSecond();
            return new PhaseResult(name, "intake -> results, " + fleet + " tasks (ideal "
                    + Math.round(fleet.idealPerSecond()) + "/s)", m, Double.NaN, dispatchers.gc(), null,
                    utilisation, m.note());
        }
    }

    private RateWindow.Measurement measure(String name, OutputCounter counter, List<ChildJvm> measured) {
        return measure(name, counter, corpus.size(), measured, List.of());
    }

    private RateWindow.Measurement measure(String name, OutputCounter counter, List<ChildJvm> measured,
                                           List<ChildJvm> alsoProfiled) {
        return measure(name, counter, corpus.size(), measured, alsoProfiled);
    }

    /**
     * Runs {@code window} and, when phase {@code name} is the one to profile, profiles {@code processes}
     * while it runs (for phases measured by something other than a {@link RateWindow}, e.g. latency).
     */
    void profiled(String name, List<ChildJvm> processes, Runnable window) {
        if (!name.equals(options.profilePhase())) {
            window.run();
            return;
        }
        WindowProfiler profiler = WindowProfiler.unpack(options.runDir());
        profiler.start(processes);
        try {
            window.run();
        } finally {
            profiles.addAll(profiler.stop(processes));
        }
    }

    /**
     * Measures {@code measured} (their CPU is charged to the records); when this phase is profiled, profiles
     * them and {@code alsoProfiled} (e.g. the SDK workers) during the window.
     */
    private RateWindow.Measurement measure(String name, OutputCounter counter, long expected,
                                           List<ChildJvm> measured, List<ChildJvm> alsoProfiled) {
        if (!name.equals(options.profilePhase())) {
            return options.rate().measure(counter, expected, measured);
        }
        WindowProfiler profiler = WindowProfiler.unpack(options.runDir());
        List<ChildJvm> profiled = new ArrayList<>(measured);
        profiled.addAll(alsoProfiled);
        return options.rate().measure(counter, expected, measured, new RateWindow.Hooks() {
            @Override
            public void opened() {
                profiler.start(profiled);
            }

            @Override
            public void closed() {
                profiles.addAll(profiler.stop(profiled));
            }
        });
    }

    /** A fresh topic prefix for {@code name}, the dispatcher's topics created and its intake preloaded. */
    Topics preloaded(String name) {
        Topics topics = fresh(name);
        cluster.createDispatcherTopics(topics);
        cluster.preload(topics.tasks(), corpus, 1);
        return topics;
    }

    Topics fresh(String name) {
        return new Topics(String.format("b%02d-%s", ++sequence, name));
    }

    DispatcherProcesses dispatchers(String name, int instances, Topics topics) {
        return dispatchers(name, instances, topics, List.of());
    }

    /** Dispatchers as {@link #dispatchers(String, int, Topics)}, with {@code extraJvmArgs} added (e.g. a heap limit). */
    DispatcherProcesses dispatchers(String name, int instances, Topics topics, List<String> extraJvmArgs) {
        List<String> jvmArgs = jvmArgs(name);
        jvmArgs.addAll(extraJvmArgs);
        return DispatcherProcesses.start(name, instances, cluster, topics, options.runDir(),
                options.dispatcherSettings(), jvmArgs);
    }

    /** SDK workers in their own process; returns once they run. */
    ChildJvm workers(String name, Topics topics, int count, int capacity, int workMs) {
        List<String> jvmArgs = new ArrayList<>(List.of("-Xss256k"));
        if (name.equals(options.profilePhase())) {
            jvmArgs.addAll(WindowProfiler.CHILD_JVM_ARGS);
        }
        ChildJvm workers = ChildJvm.start(name + "-workers", options.runDir(), jvmArgs,
                WorkerFleetMain.class.getName(), List.of(cluster.bootstrap(), cluster.registryUrl(), topics.prefix(),
                        String.valueOf(count), String.valueOf(capacity), String.valueOf(workMs)));
        try {
            workers.awaitLog(WorkerFleetMain.READY, java.time.Duration.ofSeconds(90));
            return workers;
        } catch (RuntimeException e) {
            workers.close();
            throw e;
        }
    }

    private List<String> jvmArgs(String name) {
        List<String> args = new ArrayList<>(options.dispatcherJvmArgs());
        if (name.equals(options.profilePhase())) {
            args.addAll(WindowProfiler.CHILD_JVM_ARGS);
        }
        return args;
    }

    static Pattern exactly(String topic) {
        return Pattern.compile(Pattern.quote(topic));
    }

    static Pattern workerTopics(Topics topics) {
        return Pattern.compile(Pattern.quote(topics.workerTopicPrefix()) + ".*");
    }

    /** The settings every dispatcher of the run gets, for the report. */
    Map<String, String> dispatcherSettings() {
        return options.dispatcherSettings();
    }
}
