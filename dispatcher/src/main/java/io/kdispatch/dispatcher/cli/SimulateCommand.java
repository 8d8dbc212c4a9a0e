package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.simulate.Comparison;
import io.kdispatch.dispatcher.simulate.HtmlReport;
import io.kdispatch.dispatcher.simulate.JsonReport;
import io.kdispatch.dispatcher.simulate.RecordedResult;
import io.kdispatch.dispatcher.simulate.Scenario;
import io.kdispatch.dispatcher.simulate.SimConfig;
import io.kdispatch.dispatcher.simulate.TextReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.MDC;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Runs a scenario or a recorded trace through the dispatcher's real routing, breakers, liveness and attempt
 * lifecycle in virtual time; {@code simulate record} writes a trace.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        subcommands = {RecordTraceCommand.class, CapacityCommand.class},
        description = {"Run a scenario (fleet, arrivals, events; YAML or JSON, see docs/SIMULATE.md) or a recorded "
                + "trace through the dispatcher's own rules in virtual time: no broker, no sleeps. Compares "
                + "configurations side by side; a trace's recorded figures come first.",
                "Example: simulate --scenario docs/scenarios/zipf-keys.yaml "
                        + "--compare strategy=consistent-hash,least-loaded --report report.html",
                "         simulate --trace last10.jsonl --compare topic.partitions=6,1"})
final class SimulateCommand implements Callable<Integer> {
    /** The MDC key that log4j2.xml uses to keep the dispatcher's INFO lines out of a simulation's output. */
    static final String QUIET_LOGS = "kdispatch.simulation";

    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    SimulationSource source;

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: the scenario's). The same seed "
            + "gives the same output, byte for byte.")
    Long seed;

    @Option(names = "--compare", paramLabel = "KEY=V1[,V2...]", description = "Settings to compare (repeatable); every "
            + "combination runs, the first values are the baseline. Keys are dispatcher settings; `strategy` is short "
            + "for routing.strategy. E.g. --compare strategy=consistent-hash,least-loaded "
            + "--compare routing.bounded.load.factor=1.1")
    List<String> compare = new ArrayList<>();

    @Option(names = "--json", description = "Print JSON instead of the table.")
    boolean json;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write an HTML report with charts "
            + "(wait-time distribution, utilisation over time per worker).")
    Path report;

    @Override
    public Integer call() throws IOException {
        List<SimConfig> configs = Comparison.configs(compare);
        MDC.put(QUIET_LOGS, "true");
        Comparison result;
        try {
            SimulationSource.Loaded loaded = SimulationSource.load(source, Clock.systemUTC());
            Scenario s = loaded.scenario();
            long runSeed = seed == null ? s.seed() : seed;
            result = loaded.trace() == null ? Comparison.run(s, configs, runSeed)
                    : RecordedResult.compare(loaded.trace(), s, Comparison.run(s, configs, runSeed).results(), runSeed);
        } finally {
            MDC.remove(QUIET_LOGS);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? JsonReport.render(result) : TextReport.render(result));
        if (report != null) {
            Files.writeString(report, HtmlReport.render(result), StandardCharsets.UTF_8);
            if (!json) {
                out.println("\nReport: " + report);
            }
        }
        out.flush();
        return 0;
    }
}
