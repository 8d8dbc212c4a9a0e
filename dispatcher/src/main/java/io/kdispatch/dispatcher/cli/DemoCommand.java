package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.demo.DemoRun;
import io.kdispatch.dispatcher.demo.DemoSummary;
import io.kdispatch.dispatcher.simulate.Trace;
import io.kdispatch.dispatcher.simulate.TraceFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The one-command demo on an embedded broker and registry. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an in-process Kafka broker, a schema registry, the dispatcher, demo workers and a task "
                + "generator; print progress each second and a summary. Exit status 0 only when no task was lost.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--duration", defaultValue = "60s", description = "How long to submit tasks (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--workers", defaultValue = "4", description = "Demo workers (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--rate", defaultValue = "200", description = "Tasks per second (default: ${DEFAULT-VALUE}).")
    int rate;

    @Option(names = "--work-ms", defaultValue = "10", description = "Simulated work per task (default: ${DEFAULT-VALUE}).")
    long workMs;

    @Option(names = "--summary-json", paramLabel = "FILE", description = "Write the summary as JSON to FILE.")
    Path summaryJson;

    @Option(names = "--record", paramLabel = "FILE", description = "Also record the run as a trace (JSON lines) "
            + "that `simulate --trace FILE` replays.")
    Path record;

    @Override
    public Integer call() throws Exception {
        DemoRun.Options options = new DemoRun.Options(duration, workers, rate, workMs, 200, 0.005);
        DemoSummary summary;
        try (DemoRun demo = new DemoRun(options, System.out)) {
            summary = demo.run();
            if (record != null) {
                Trace trace = demo.trace();
                try (Writer w = Files.newBufferedWriter(record, StandardCharsets.UTF_8)) {
                    TraceFile.write(trace, w);
                }
                System.out.printf("trace      %s: %d tasks, %d heartbeats, %d results, %d decisions%n", record,
                        trace.tasks().size(), trace.heartbeats().size(), trace.results().size(),
                        trace.decisions().size());
            }
        }
        String json = RecordJson.write(summary.toJson());
        System.out.println("summary " + json);
        if (summaryJson != null) {
            Files.writeString(summaryJson, json + System.lineSeparator(), StandardCharsets.UTF_8);
        }
        if (summary.lost() != 0) {
            System.err.println("error: " + summary.lost() + " tasks were lost");
            return 1;
        }
        return 0;
    }
}
