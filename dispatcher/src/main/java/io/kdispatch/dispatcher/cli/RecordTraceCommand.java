package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.simulate.Trace;
import io.kdispatch.dispatcher.simulate.TraceFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate record}: a time range of a dispatcher's topics to a trace file that {@code simulate --trace}
 * replays.
 */
@Command(name = "record", mixinStandardHelpOptions = true,
        description = {"Read a time range of the intake, heartbeat, result, decision and control topics and write it "
                + "as a trace (JSON lines) that `simulate --trace FILE` replays. Reads with no consumer group and "
                + "commits nothing.",
                "Example: simulate record --bootstrap-servers localhost:9092 "
                        + "--schema-registry-url http://localhost:8080/apis/ccompat/v7 --from-time now-10m "
                        + "--to-time now --out last10.jsonl"})
final class RecordTraceCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = false, multiplicity = "1")
    TraceRange range;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the trace.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Trace trace;
        org.slf4j.MDC.put(SimulateCommand.QUIET_LOGS, "true");
        try {
            trace = range.record(Clock.systemUTC());
        } finally {
            org.slf4j.MDC.remove(SimulateCommand.QUIET_LOGS);
        }
        try (Writer w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            TraceFile.write(trace, w);
        }
        PrintWriter console = spec.commandLine().getOut();
        console.printf("recorded %s to %s from %s: %d tasks, %d heartbeats, %d results, %d decisions, %d control "
                        + "settings, %d routing partitions -> %s%n", Instant.ofEpochMilli(trace.fromMs()),
                Instant.ofEpochMilli(trace.toMs()), trace.source(), trace.tasks().size(), trace.heartbeats().size(),
                trace.results().size(), trace.decisions().size(), trace.controls().size(), trace.partitions(), out);
        console.flush();
        return 0;
    }
}
