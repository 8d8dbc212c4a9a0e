package io.kdispatch.dispatcher.cli;

import io.kdispatch.schemas.startup.StartupWait;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The start-up wait of the commands that may start before the broker, their topics or the registry. */
final class WaitOption {
    @Option(names = "--wait-timeout", paramLabel = "DURATION", defaultValue = StartupWait.DEFAULT_LIMIT_MINUTES + "m",
            description = "How long to wait at start, retrying with backoff, while the broker or the schema registry "
                    + "does not answer or the topics do not exist yet; 0 fails at once (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /**
     * @param context what is starting, for the log (e.g. {@code dispatcher kdispatch-dispatcher})
     * @throws IllegalArgumentException when the timeout is negative
     */
    StartupWait startupWait(String context) {
        return new StartupWait(context, timeout);
    }
}
