package io.kdispatch.dispatcher.e2e;

import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.ThreadLeaks;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Invariant 7: closing a worker, the dispatcher and the embedded broker releases every thread they started. */
@ExtendWith(EmbeddedRegistryExtension.class)
class LifecycleIT {

    @Test
    void closingWorkerDispatcherAndBrokerLeavesNoThreadBehind(EmbeddedRegistry registry) throws Exception {
        Set<Thread> before = ThreadLeaks.snapshot();
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
             Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.dispatcher(DispatchMetrics.NOOP);
            stack.worker("w1", 2, ctx -> ctx.payload());
            OutcomeTracker outcomes = stack.outcomes();
            Set<String> ids = EndToEndContract.submit(stack.submitter(), 20, 5);
            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(ids));
        }
        ThreadLeaks.awaitNoneStartedSince(before, Duration.ofSeconds(30));
    }
}
