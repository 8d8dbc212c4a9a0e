package io.kdispatch.dispatcher.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The bound on stopping, for the long-running commands that drain on SIGTERM. */
final class ShutdownOption {
    @Option(names = "--shutdown-timeout", paramLabel = "DURATION",
            defaultValue = ShutdownSignal.DEFAULT_BOUND_SECONDS + "s",
            description = "After SIGTERM or Ctrl-C the process exits within this time: it drains for two thirds of "
                    + "it, then aborts what is left; exit status 1 when it could not drain cleanly "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** A signal handler with this bound; see {@link ShutdownSignal}. */
    ShutdownSignal signal() {
        return new ShutdownSignal(timeout);
    }
}
