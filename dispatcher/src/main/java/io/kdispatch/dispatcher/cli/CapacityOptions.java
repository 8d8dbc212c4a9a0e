package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.capacity.CapacitySettings;
import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code run}'s capacity estimate: the {@code kdispatch_workers_needed} gauge (docs/SIMULATE.md, Capacity). */
final class CapacityOptions {
    @Option(names = "--capacity-p99-wait", paramLabel = "DURATION", description = "Export kdispatch_workers_needed"
            + "{kind}: the workers of each kind that keep the p99 wait under this at the current arrival rate, "
            + "simulated from the last --capacity-window of the topics (default: off).")
    Duration targetP99Wait;

    @Option(names = "--capacity-kind-label", paramLabel = "LABEL", defaultValue = "",
            description = "Worker label whose values are the kinds (default: none, one kind 'all').")
    String kindLabel;

    @Option(names = "--capacity-window", paramLabel = "DURATION", defaultValue = "2m",
            description = "How much of the topics each estimate replays (default: ${DEFAULT-VALUE}).")
    Duration window;

    @Option(names = "--capacity-interval", paramLabel = "DURATION", defaultValue = "1m",
            description = "How often the estimate is recomputed (default: ${DEFAULT-VALUE}).")
    Duration interval;

    @Option(names = "--capacity-max-workers", paramLabel = "N", defaultValue = "100",
            description = "Most workers of a kind tried, and the answer when even they do not do "
                    + "(default: ${DEFAULT-VALUE}).")
    int maxWorkers;

    /** The settings, validated (a usage error names the rule). */
    CapacitySettings settings() {
        return new CapacitySettings(targetP99Wait, window, interval, kindLabel, maxWorkers);
    }
}
