package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.simulate.CapacityPlanner;
import io.kdispatch.dispatcher.simulate.CapacityReport;
import io.kdispatch.dispatcher.simulate.SimConfig;
import io.kdispatch.dispatcher.simulate.WorkerKind;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.MDC;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate capacity}: how many workers of a kind keep the p99 wait under a target at the arrival rate
 * of a scenario or a recorded trace. Exit status 0 with an answer, 1 when even {@code --max-workers} do not do.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = {"How many workers of a kind keep the p99 wait under a target at the arrival rate of a "
                + "scenario or trace: simulates the kind resized, doubling or halving, then bisecting. The gauge "
                + "kdispatch_workers_needed answers the same on the last minutes of the cluster (run "
                + "--capacity-p99-wait).",
                "Example: simulate capacity --scenario docs/scenarios/worker-death.yaml --kind w --p99-wait 100ms",
                "         simulate capacity --trace last10.jsonl --kind pool=gpu --p99-wait 2s"})
final class CapacityCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    SimulationSource source;

    @Option(names = "--kind", required = true, paramLabel = "KIND", description = "The workers to count: a group "
            + "of the scenario (w), the workers with labels (pool=gpu,zone=a), or all.")
    String kind;

    @Option(names = "--p99-wait", required = true, paramLabel = "DURATION",
            description = "The target: the p99 of the wait (submission to the start of the successful attempt).")
    Duration target;

    @Option(names = "--max-workers", defaultValue = "200", paramLabel = "N",
            description = "Most workers of the kind to try (default: ${DEFAULT-VALUE}).")
    int maxWorkers;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "A dispatcher setting for every run "
            + "(repeatable), as --compare's keys.")
    List<String> settings = List.of();

    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: the scenario's).")
    Long seed;

    @Option(names = "--json", description = "Print JSON instead of the sentence and table.")
    boolean json;

    @Override
    public Integer call() {
        Map<String, String> set = new LinkedHashMap<>();
        for (String s : settings) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set takes KEY=VALUE, was '" + s + "'");
            }
            set.put(s.substring(0, eq), s.substring(eq + 1));
        }
        CapacityPlanner.Answer answer;
        String name;
        MDC.put(SimulateCommand.QUIET_LOGS, "true");
        try {
            SimulationSource.Loaded loaded = SimulationSource.load(source, Clock.systemUTC());
            name = loaded.scenario().name();
            answer = CapacityPlanner.plan(loaded.scenario(), WorkerKind.parse(kind), target.toMillis(), maxWorkers,
                    SimConfig.of(set.isEmpty() ? "scenario settings" : String.join(" ", settings), set),
                    seed == null ? loaded.scenario().seed() : seed);
        } finally {
            MDC.remove(SimulateCommand.QUIET_LOGS);
        }
        PrintWriter out = spec.commandLine().getOut();
        out.print(json ? CapacityReport.json(answer, name) : CapacityReport.text(answer, name));
        out.flush();
        return answer.needed() < 0 ? 1 : 0;
    }
}
