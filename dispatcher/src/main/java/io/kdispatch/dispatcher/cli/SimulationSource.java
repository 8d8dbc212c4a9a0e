package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.simulate.Scenario;
import io.kdispatch.dispatcher.simulate.ScenarioParser;
import io.kdispatch.dispatcher.simulate.Trace;
import io.kdispatch.dispatcher.simulate.TraceFile;
import io.kdispatch.dispatcher.simulate.TraceScenario;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * What a simulation runs: a scenario file, a recorded trace file, or a time range read from a cluster on the
 * spot. Exactly one; shared by {@code simulate} and {@code simulate capacity}.
 */
final class SimulationSource {
    @Option(names = "--scenario", paramLabel = "FILE", description = "Scenario file (.yaml, .yml or .json).")
    Path scenario;

    @Option(names = "--trace", paramLabel = "FILE", description = "Trace file written by `simulate record` "
            + "(JSON lines): replays the recorded tasks and fleet, and shows the recorded figures beside the "
            + "simulated.")
    Path trace;

    @ArgGroup(exclusive = false, heading = "Reading a trace from a cluster:%n")
    FromCluster cluster;

    /** {@code --from-cluster} and the range and cluster to read. */
    static final class FromCluster {
        @Option(names = "--from-cluster", required = true,
                description = "Record a trace from the cluster (--from-time, --to-time, --bootstrap-servers, ...) "
                        + "and replay it, as --trace would.")
        boolean fromCluster;

        @ArgGroup(exclusive = false, multiplicity = "1")
        TraceRange range;
    }

    /** A scenario to run, and the trace it replays (null for a scenario file). */
    record Loaded(Scenario scenario, Trace trace) {
    }

    /** Reads the source. */
    static Loaded load(SimulationSource source, Clock clock) {
        if (source == null) {
            throw new IllegalArgumentException("give --scenario FILE, --trace FILE or --from-cluster (see "
                    + "docs/SIMULATE.md)");
        }
        if (source.scenario != null) {
            return new Loaded(ScenarioParser.read(source.scenario), null);
        }
        if (source.trace != null) {
            Trace t = TraceFile.read(source.trace);
            return new Loaded(TraceScenario.of(t, "trace " + source.trace.getFileName()), t);
        }
        Trace t = source.cluster.range.record(clock);
        return new Loaded(TraceScenario.of(t, "trace from " + source.cluster.range.cluster.bootstrapServers), t);
    }
}
