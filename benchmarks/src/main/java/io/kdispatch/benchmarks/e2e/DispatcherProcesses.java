package io.kdispatch.benchmarks.e2e;

import io.kdispatch.dispatcher.cli.Main;
import io.kdispatch.schemas.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dispatcher instances as child processes, started exactly as a user starts them ({@code run} of the
 * product's CLI) with the product's defaults, sharing one application ID so Kafka Streams spreads the
 * partitions over them. Only {@code --set} values from the harness options are added.
 */
final class DispatcherProcesses implements AutoCloseable {
    private final List<ChildJvm> processes = new ArrayList<>();

    private DispatcherProcesses() {
    }

    /**
     * Starts {@code instances} dispatchers named {@code <phase>-dispatcher-<n>}.
     *
     * @param jvmArgs JVM options for each (profiling, extra flags)
     */
    static DispatcherProcesses start(String phase, int instances, BenchCluster cluster, Topics topics,
                                     Path runDir, Map<String, String> settings, List<String> jvmArgs) {
        DispatcherProcesses started = new DispatcherProcesses();
        try {
            for (int n = 1; n <= instances; n++) {
                List<String> args = new ArrayList<>(List.of("run",
                        "--bootstrap-servers", cluster.bootstrap(),
                        "--schema-registry-url", cluster.registryUrl(),
                        "--topic-prefix", topics.prefix(),
                        "--admin-port", "0",
                        "--set", "application.id=bench-" + topics.prefix(),
                        "--set", "state.dir=" + runDir.resolve(phase + "-state-" + n),
                        "--set", "topic.partitions=" + cluster.partitions()));
                settings.forEach((k, v) -> args.addAll(List.of("--set", k + "=" + v)));
                started.processes.add(ChildJvm.start(phase + "-dispatcher-" + n, runDir, jvmArgs,
                        Main.class.getName(), args));
            }
            return started;
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
    }

    List<ChildJvm> processes() {
        return List.copyOf(processes);
    }

    /** Heap figures summed over the instances (read after {@link #close()}). */
    GcLog.Summary gc() {
        long used = 0;
        long live = 0;
        int pauses = 0;
        double pauseMs = 0;
        for (ChildJvm p : processes) {
            GcLog.Summary s = p.gc();
            used += s.peakUsedMb();
            live += s.peakLiveMb();
            pauses += s.pauses();
            pauseMs += s.pauseMs();
        }
        return new GcLog.Summary(used, live, pauses, pauseMs);
    }

    @Override
    public void close() {
        // In parallel would be faster; in order keeps the logs readable and takes a few seconds.
        processes.forEach(ChildJvm::close);
    }
}
