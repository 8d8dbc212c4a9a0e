package io.kdispatch.benchmarks.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import io.kdispatch.dispatcher.cli.DurationConverter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e2e}: the end-to-end harness on an embedded broker and a real registry. */
@Command(name = "e2e", mixinStandardHelpOptions = true,
        description = {"Measures the dispatcher end to end against a plain Kafka Streams byte copy of the same "
                + "intake, in one run on one broker: baseline, dispatch rate, full loop, latency, short-task "
                + "utilisation, CPU per task, heap, and scale with instances and fleet size.",
                "Prints a table; writes e2e.json, logs and GC logs to the run directory."})
public final class E2eCommand implements Callable<Integer> {
    @Option(names = "--tasks", defaultValue = "400000", description = "Tasks preloaded per rate phase (default ${DEFAULT-VALUE}).")
    int tasks;

    @Option(names = "--baseline-repeat", defaultValue = "5",
            description = "The baselines' intake holds the tasks this many times over (default ${DEFAULT-VALUE}).")
    int baselineRepeat;

    @Option(names = "--partitions", defaultValue = "6", description = "Partitions of every intake (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--warmup", defaultValue = "20s", converter = DurationConverter.class,
            description = "Longest warm-up before a window (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--warmup-share", defaultValue = "0.6",
            description = "The warm-up ends early once this share of the tasks is out (default ${DEFAULT-VALUE}).")
    double warmupShare;

    @Option(names = "--window", defaultValue = "12s", converter = DurationConverter.class,
            description = "Longest measured window (default ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--loop-workers", defaultValue = "2", description = "SDK workers of the full loop (default ${DEFAULT-VALUE}).")
    int loopWorkers;

    @Option(names = "--loop-capacity", defaultValue = "10000",
            description = "Slots of each full-loop worker (default ${DEFAULT-VALUE}).")
    int loopCapacity;

    @Option(names = "--short-tasks", defaultValue = "4x8x5", paramLabel = "NxCxT",
            description = "N workers x C slots x T ms tasks for the utilisation phase (default ${DEFAULT-VALUE}).")
    String shortTasks;

    @Option(names = "--latency-rate", defaultValue = "0",
            description = "Tasks/s offered in the latency phase; 0 = half the measured dispatch rate.")
    int latencyRate;

    @Option(names = "--instances", split = ",", defaultValue = "2,4",
            description = "Dispatcher instance counts to scale to (default ${DEFAULT-VALUE}).")
    List<Integer> instances;

    @Option(names = "--fleet", split = ",", defaultValue = "10,100,1000",
            description = "Registered-worker counts to scale to (default ${DEFAULT-VALUE}).")
    List<Integer> fleets;

    @Option(names = "--phases", split = ",", description = "Phases to run (default all but in-flight, which runs only when named): ${COMPLETION-CANDIDATES}",
            completionCandidates = PhaseNames.class)
    List<String> phases = new ArrayList<>();

    @Option(names = "--profile", paramLabel = "PHASE",
            description = "Profile the dispatcher of this phase during its window with async-profiler.")
    String profile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A dispatcher setting for every dispatcher.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--dispatcher-jvm-arg", paramLabel = "ARG", description = "An extra JVM option for every dispatcher.")
    List<String> jvmArgs = new ArrayList<>();

    @Option(names = "--run-dir", paramLabel = "DIR",
            description = "Where logs and e2e.json go (default benchmarks-run-<time> in the current directory).")
    Path runDir;

    @Override
    public Integer call() throws Exception {
        Path dir = runDir != null ? runDir : Path.of("benchmarks-run-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(dir);
        HarnessOptions options = new HarnessOptions(tasks, baselineRepeat, partitions,
                new RateWindow(warmup, warmupShare, window, Duration.ofSeconds(120)), loopWorkers, loopCapacity,
                parseShortTasks(shortTasks), latencyRate, instances, fleets, Set.copyOf(phases), profile, settings,
                jvmArgs, dir.toAbsolutePath());
        return new Harness(options, System.out).run() ? 0 : 1;
    }

    static HarnessOptions.ShortTasks parseShortTasks(String spec) {
        String[] parts = spec.toLowerCase().split("x");
        if (parts.length != 3) {
            throw new IllegalArgumentException("--short-tasks must look like 4x8x5 (workers x slots x ms), was " + spec);
        }
        return new HarnessOptions.ShortTasks(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                Integer.parseInt(parts[2].trim()));
    }

    /** Phase names for the help text. */
    static final class PhaseNames extends ArrayList<String> {
        PhaseNames() {
            super(new LinkedHashSet<>(HarnessOptions.ALL_PHASES));
        }
    }
}
