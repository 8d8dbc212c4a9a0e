package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.replay.ReplayFilter;
import io.kdispatch.dispatcher.replay.ReplayRange;
import io.kdispatch.dispatcher.replay.ReplayReport;
import io.kdispatch.dispatcher.replay.ReplayRequest;
import io.kdispatch.dispatcher.replay.ReplaySource;
import io.kdispatch.dispatcher.replay.Replayer;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Copies tasks from the dead-letter topic, a worker topic or the intake back to the intake. Progress goes to
 * stderr once a second, the final count to stdout. Exit status: 0 done, 1 some writes failed, 130 stopped
 * by Ctrl-C (after printing how far it got), 2 bad arguments.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
        description = "Copy tasks from dlq, intake, worker:<id> or a topic back to the intake, marked as replays.")
final class ReplayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Option(names = "--from", required = true, paramLabel = "dlq|intake|worker:<id>|TOPIC",
            description = "Where to read: the dead-letter topic, the intake, a worker's topic, or a full topic name.")
    String from;

    @Option(names = "--from-offset", paramLabel = "N", description = "First offset in every partition.")
    Long fromOffset;

    @Option(names = "--from-time", paramLabel = "ISO-INSTANT", description = "First record time, e.g. 2025-01-31T12:00:00Z.")
    String fromTime;

    @Option(names = "--to-offset", paramLabel = "N", description = "Last offset in every partition (inclusive).")
    Long toOffset;

    @Option(names = "--to-time", paramLabel = "ISO-INSTANT", description = "Last record time (inclusive).")
    String toTime;

    @Option(names = "--filter", paramLabel = "KEY=VALUE",
            description = "type=<task type>, worker=<worker ID> or reason=<dead-letter reason>; repeat a key for OR, "
                    + "different keys must all match.")
    List<String> filters = new ArrayList<>();

    @Option(names = "--dry-run", description = "Count what would be replayed; write nothing.")
    boolean dryRun;

    @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
            description = "Write at most N records per second (default: no limit).")
    int rate;

    @Override
    public Integer call() {
        ReplayRequest request = request();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("replaying " + request.source().topic() + " -> " + request.topics().tasks()
                + (dryRun ? " (dry run)" : "") + ", filter " + request.filter());
        err.flush();
        ReplayReport report;
        try (ShutdownSignal signal = new ShutdownSignal()) {
            report = new Replayer(request).run(signal::stopRequested, progress -> {
                err.println(progress.progressLine());
                err.flush();
            });
            out.println(report.summary());
            out.flush();
        }
        if (report.interrupted()) {
            return 130;
        }
        return report.failed() > 0 ? 1 : 0;
    }

    /** Validates every option once, with messages naming the flag. */
    ReplayRequest request() {
        ReplaySource source = ReplaySource.parse(from, cluster.topics());
        ReplayRange range = new ReplayRange(fromOffset, instant("--from-time", fromTime), toOffset,
                instant("--to-time", toTime));
        return new ReplayRequest(cluster.bootstrapServers, cluster.serdes(), cluster.topics(), source, range,
                ReplayFilter.parse(filters, source.kind()), dryRun, rate);
    }

    private static Instant instant(String flag, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid " + flag + " '" + value
                    + "': use an ISO-8601 instant such as 2025-01-31T12:00:00Z");
        }
    }
}
