package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.app.Dispatcher;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.Worker;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 9, reproduction (b): a worker restarts (a new incarnation) while the dispatcher instance that
 * owns its attempts is down. The new incarnation skips what was sent to the old one; when the
 * dispatcher is back (restoring its state from the changelog), it must release those attempts at once
 * (they were sent to an incarnation that no longer runs), not wait for their five-minute lease.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class RestartDuringFailoverIT {
    private static final int TASKS = 4;
    /** Far below the 5-minute lease, well above liveness (dead after 5 s) plus a restart. */
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(30);

    @Test
    void attemptsOfTheOldIncarnationAreReleasedWhenTheDispatcherIsBack(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            Set<String> started = ConcurrentHashMap.newKeySet();
            CountDownLatch never = new CountDownLatch(1);
            Dispatcher first = stack.dispatcher(DispatchMetrics.NOOP);
            Worker old = stack.worker("w1", TASKS, ctx -> {
                started.add(ctx.taskId());
                never.await(); // the old incarnation never finishes: it is killed mid-task
                return ctx.payload();
            });
            OutcomeTracker outcomes = stack.outcomes();
            Set<String> ids = submit(stack.submitter());
            await().atMost(Duration.ofSeconds(60)).until(() -> started.size() == TASKS);

            first.close();      // the dispatcher instance owning the attempts goes down
            old.abort();        // the worker is killed ...
            Worker restarted = stack.worker("w1", TASKS, ctx -> ctx.payload()); // ... and comes back
            assertThat(restarted.incarnation()).isNotEqualTo(old.incarnation());
            await().atMost(Duration.ofSeconds(60)).until(() -> restarted.skipped() == TASKS);

            long back = System.nanoTime();
            stack.dispatcher(DispatchMetrics.NOOP); // the instance restarts, its state from the changelog
            await().atMost(RECOVERY_BOUND).pollInterval(Duration.ofMillis(200)).until(() -> outcomes.allEnded(ids));
            Duration recovery = Duration.ofNanos(System.nanoTime() - back);
            System.out.printf("attempts of the old incarnation re-dispatched and done %d ms after the restart%n",
                    recovery.toMillis());

            assertThat(outcomes.completed()).isEqualTo(TASKS);
            assertThat(stack.executions.select(e -> e.status() == ResultStatus.SUCCEEDED))
                    .extracting(ExecutionEvent::incarnation).containsOnly(restarted.incarnation());
            assertThat(stack.executions.select(e -> e.status() == ResultStatus.SUCCEEDED))
                    .extracting(ExecutionEvent::attempt).containsOnly(2);
        }
    }

    private static Set<String> submit(SubmitClient client) throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < TASKS; i++) {
            ids.add("r-" + i);
            client.submit(Task.newBuilder().setId("r-" + i).setType("restart")
                    .setPayload(ByteBuffer.wrap(new byte[] {(byte) i})).build()).get();
        }
        return ids;
    }
}
