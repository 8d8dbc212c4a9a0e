package io.kdispatch.benchmarks.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything a harness run is parameterised by; validated here, once.
 *
 * @param tasks tasks preloaded for each rate phase
 * @param baselineRepeat how many times over the baselines' intake holds those tasks (the byte copy is
 *     fast: it needs more records to warm up and be measured for as long as the dispatcher)
 * @param partitions partitions of every intake (and of the dispatcher's other topics)
 * @param rate how each rate is measured
 * @param loopWorkers SDK workers for the full loop and latency phases
 * @param loopCapacity slots of each of them ("room for everything")
 * @param shortTasks the fleet of the utilisation phase
 * @param latencyRate tasks/s offered in the latency phase; 0 = half the dispatch rate measured before
 * @param instances dispatcher instance counts of the scale phases (1 is the dispatch phase)
 * @param fleets registered-worker counts of the scale phases
 * @param phases the phases to run, by name; empty = all
 * @param profilePhase the phase whose dispatcher runs under async-profiler, or null
 * @param dispatcherSettings {@code --set} values for every dispatcher, e.g. to compare settings
 * @param dispatcherJvmArgs extra JVM options for every dispatcher
 * @param runDir where logs, GC logs, profiles and the JSON go
 */
record HarnessOptions(int tasks, int baselineRepeat, int partitions, RateWindow rate, int loopWorkers, int loopCapacity,
                      ShortTasks shortTasks, int latencyRate, List<Integer> instances, List<Integer> fleets,
                      Set<String> phases, String profilePhase, Map<String, String> dispatcherSettings,
                      List<String> dispatcherJvmArgs, Path runDir) {
    /** The phases, in the order they run. */
    static final List<String> ALL_PHASES = List.of("baseline-eos", "baseline-alos", "dispatch", "full-loop",
            "latency", "short-tasks", "instances", "fleet", "baseline-eos-again", "in-flight");
    /** Phases that run only when named in {@code --phases}: they take long and measure something else than a rate. */
    static final Set<String> OPT_IN_PHASES = Set.of("in-flight");

    HarnessOptions {
        require(tasks >= 100 && tasks <= 20_000_000, "--tasks must be between 100 and 20,000,000, was " + tasks);
        require(baselineRepeat >= 1 && baselineRepeat <= 100, "--baseline-repeat must be between 1 and 100");
        require(partitions >= 1 && partitions <= 64, "--partitions must be between 1 and 64, was " + partitions);
        require(loopWorkers >= 1 && loopCapacity >= 1, "--loop-workers and --loop-capacity must be positive");
        require(latencyRate >= 0, "--latency-rate must not be negative");
        instances = List.copyOf(instances);
        fleets = List.copyOf(fleets);
        require(instances.stream().allMatch(n -> n >= 1 && n <= 16), "--instances must be between 1 and 16");
        require(fleets.stream().allMatch(n -> n >= 1 && n <= 10_000), "--fleet sizes must be between 1 and 10,000");
        phases = Set.copyOf(phases);
        for (String phase : phases) {
            require(ALL_PHASES.contains(phase), "unknown phase '" + phase + "'; phases: " + ALL_PHASES);
        }
        require(profilePhase == null || ALL_PHASES.contains(profilePhase) || profilePhase.matches("(instances|fleet)-\\d+"),
                "unknown --profile phase '" + profilePhase + "'; phases: " + ALL_PHASES + ", instances-N, fleet-N");
        dispatcherSettings = Map.copyOf(dispatcherSettings);
        dispatcherJvmArgs = List.copyOf(dispatcherJvmArgs);
    }

    boolean runs(String phase) {
        return phases.isEmpty() ? !OPT_IN_PHASES.contains(phase) : phases.contains(phase);
    }

    /**
     * The short-task fleet: {@code workers} SDK workers of {@code slots} slots running tasks of
     * {@code workMs}; ideally they finish {@code workers * slots * 1000 / workMs} tasks a second.
     */
    record ShortTasks(int workers, int slots, int workMs) {
        ShortTasks {
            require(workers >= 1 && slots >= 1 && workMs >= 1, "--short-tasks needs positive N, C and T");
        }

        double idealPerSecond() {
            return workers * slots * 1000.0 / workMs;
        }

        @Override
        public String toString() {
            return workers + " x " + slots + " x " + workMs + " ms";
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
