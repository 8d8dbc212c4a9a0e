package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.security.CliProcess;
import io.kdispatch.sdk.SubmitClient;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** The end of every fault test: the feed stops, what it sent is flushed, and every task it sent must end. */
final class Drain {
    /** The producer's default max.block.ms: the longest a submit in progress can block. */
    private static final Duration SUBMIT_BLOCKS_AT_MOST = Duration.ofSeconds(60);

    private Drain() {
    }

    /**
     * Stops {@code feeder}, flushes {@code submitter} and waits up to {@code bound} until every task of
     * {@code ids} has ended (a failure carries {@code processes}' output); returns those tasks.
     */
    static Set<String> everyTaskEnds(ExecutorService feeder, SubmitClient submitter, Set<String> ids,
                                     OutcomeTracker outcomes, Duration bound, CliProcess... processes)
            throws Exception {
        // shutdown, not shutdownNow: interrupting a submit in progress fails it with the producer's
        // InterruptException (CI, BrokerRestartIT: "b-306: InterruptException"), a failure of the test, not of
        // the system. A send blocks at most the producer's max.block.ms (60 s by default).
        feeder.shutdown();
        assertThat(feeder.awaitTermination(SUBMIT_BLOCKS_AT_MOST.toSeconds() + 10, TimeUnit.SECONDS)).isTrue();
        submitter.flush();
        Set<String> all = Set.copyOf(ids);
        CliProcess.explainFailure(() -> await("every task ends").atMost(bound).pollInterval(Duration.ofMillis(500))
                .until(() -> outcomes.allEnded(all)), processes);
        return all;
    }
}
