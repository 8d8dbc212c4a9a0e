package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.recording.TraceRecorder;
import io.kdispatch.dispatcher.simulate.Trace;
import java.time.Clock;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * Which cluster, and which time range of its topics, a trace is read from: shared by {@code simulate record}
 * and {@code simulate --from-cluster}.
 */
final class TraceRange {
    @Option(names = "--from-time", required = true, paramLabel = "TIME",
            description = "Start of the range: an ISO-8601 instant (2025-01-31T12:00:00Z), now, or now-10m.")
    String fromTime;

    @Option(names = "--to-time", required = true, paramLabel = "TIME",
            description = "End of the range (inclusive), as --from-time.")
    String toTime;

    @ArgGroup(exclusive = false, multiplicity = "1", heading = "Cluster:%n")
    ClusterOptions cluster;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.*, ssl.*, ...) for the trace reader.")
    java.nio.file.Path clientConfig;

    /** Reads the range from the cluster. */
    Trace record(Clock clock) {
        Instant from = TimeArg.parse("--from-time", fromTime, clock);
        Instant to = TimeArg.parse("--to-time", toTime, clock);
        KafkaClientConfig config = new KafkaClientConfig();
        config.file = clientConfig;
        return new TraceRecorder(cluster.bootstrapServers, cluster.serdes(), cluster.topics(), config.properties())
                .record(from, to);
    }
}
