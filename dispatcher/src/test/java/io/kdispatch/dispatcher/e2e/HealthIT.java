package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.Worker;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bad days on a real broker: failing, draining and overloaded workers. */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class HealthIT {

    private static Set<String> submit(SubmitClient client, String prefix, int count, int priority) throws Exception {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < count; i++) {
            String id = prefix + i;
            ids.add(id);
            client.submit(Task.newBuilder().setId(id).setType("h").setPriority(priority).setMaxAttempts(10)
                    .setPayload(ByteBuffer.wrap(new byte[] {1})).build()).get(10, TimeUnit.SECONDS);
        }
        return ids;
    }

    @Test
    void aWorkerFailingEverythingIsEjectedItsTasksSucceedElsewhereAndItIsReadmittedAfterRecovering(
            EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.partitions = 2;
            stack.health = new HealthSettings(new BreakerPolicy(6, 4, 50, 0, Duration.ofSeconds(3),
                    Duration.ofSeconds(30), 2, 50), Duration.ofMillis(50), Duration.ofSeconds(1), 3);
            stack.dispatcher(DispatchMetrics.NOOP);
            AtomicBoolean failing = new AtomicBoolean(true);
            stack.worker("flaky", 4, ctx -> {
                if (failing.get()) {
                    throw new IllegalStateException("downstream is down");
                }
                return ctx.payload();
            });
            stack.worker("ok-1", 4, ctx -> ctx.payload());
            stack.worker("ok-2", 4, ctx -> ctx.payload());
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient client = stack.submitter();
            Set<String> first = submit(client, "a-", 150, 0);

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(first));
            assertThat(outcomes.completed()).as("every task succeeded elsewhere").isEqualTo(first.size());
            int failures = stack.executions.byWorker("flaky").size();
            assertThat(failures).isPositive();
            assertThat(stack.executions.byWorker("flaky")).allSatisfy(e ->
                    assertThat(e.status()).isEqualTo(ResultStatus.FAILED));
            Set<String> whileOpen = submit(client, "b-", 60, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> outcomes.allEnded(whileOpen));
            assertThat(stack.executions.byWorker("flaky").size()).as("ejected: no new tasks while open")
                    .isLessThanOrEqualTo(failures + 2 * 2);

            failing.set(false);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
                submit(client, "c-" + System.nanoTime() + "-", 10, 0);
                return stack.executions.byWorker("flaky").stream()
                        .filter(e -> e.status() == ResultStatus.SUCCEEDED).count() >= 10;
            });
        }
    }

    @Test
    void aHungWorkerThatKeepsHeartbeatingLosesItsTasksWhenTheirLeasesExpire(EmbeddedKafka kafka,
                                                                          EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.lease = Duration.ofSeconds(3);
            stack.dispatcher(DispatchMetrics.NOOP);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.atomic.AtomicInteger hung = new java.util.concurrent.atomic.AtomicInteger();
            // Its handler never returns while the test runs; after maxTaskDuration the SDK stops renewing.
            stack.worker("hung", 2, java.util.Map.of(), ctx -> {
                hung.incrementAndGet();
                release.await(60, TimeUnit.SECONDS);
                return ctx.payload();
            }, b -> b.maxTaskDuration(Duration.ofSeconds(1)));
            OutcomeTracker outcomes = stack.outcomes();
            Set<String> ids = submit(stack.submitter(), "h-", 20, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> hung.get() >= 2);
            stack.worker("healthy", 4, ctx -> ctx.payload());
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(ids));
                assertThat(outcomes.completed()).isEqualTo(ids.size());
                assertThat(stack.executions.byWorker("healthy").stream().filter(e -> e.attempt() > 1))
                        .as("the hung worker's tasks were dispatched again after their leases ran out").isNotEmpty();
            } finally {
                release.countDown();
            }
        }
    }

    @Test
    void aDrainingWorkerGetsNothingNewAndFinishesWhatItHad(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.dispatcher(DispatchMetrics.NOOP);
            Worker drainer = stack.worker("drainer", 4, ctx -> {
                SimulatedWork.take(100); // so it has tasks in flight when it drains
                return ctx.payload();
            });
            stack.worker("stayer", 4, ctx -> ctx.payload());
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient client = stack.submitter();
            Set<String> ids = submit(client, "d-", 40, 0);
            await().atMost(Duration.ofSeconds(30)).until(() -> !stack.executions.byWorker("drainer").isEmpty());

            long drainStart = System.currentTimeMillis();
            drainer.shutdown();
            ids.addAll(submit(client, "e-", 60, 0));
            assertThat(drainer.awaitTermination(Duration.ofSeconds(30))).isTrue();

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(ids));
            assertThat(outcomes.completed()).isEqualTo(ids.size());
            List<ExecutionEvent> drained = stack.executions.byWorker("drainer");
            assertThat(drained).allSatisfy(e -> assertThat(e.status()).isNotEqualTo(ResultStatus.FAILED));
            assertThat(drained.stream().filter(e -> e.taskId().startsWith("e-")).filter(e -> e.status()
                    == ResultStatus.SUCCEEDED).collect(Collectors.toList()))
                    .as("nothing submitted after the drain ran on the drainer").isEmpty();
            assertThat(drainStart).isPositive();
        }
    }

    @Test
    void withEveryWorkerFullLaterHighPriorityTasksGoBeforeEarlierLowPriorityOnes(EmbeddedKafka kafka,
                                                                                EmbeddedRegistry registry)
            throws Exception {
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            // Priority orders the pending queue of one routing partition: use one, and no prefetch.
            stack.partitions = 1;
            stack.routing = new RoutingConfig(RoutingConfig.defaults().strategy(), null, 0, 1.25, 0);
            stack.dispatcher(DispatchMetrics.NOOP);
            stack.worker("only", 1, ctx -> {
                SimulatedWork.take(150); // the worker stays full
                return ctx.payload();
            });
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient client = stack.submitter();
            Set<String> ids = submit(client, "low-", 8, 1);
            ids.addAll(submit(client, "high-", 4, 9));

            await().atMost(Duration.ofSeconds(60)).until(() -> outcomes.allEnded(ids));
            List<String> order = stack.executions.events().stream().map(ExecutionEvent::taskId).toList();
            int lastHigh = 0;
            int firstLowAfterStart = Integer.MAX_VALUE;
            for (int i = 0; i < order.size(); i++) {
                if (order.get(i).startsWith("high-")) {
                    lastHigh = i;
                }
            }
            for (int i = 2; i < order.size(); i++) {
                if (order.get(i).startsWith("low-")) {
                    firstLowAfterStart = Math.min(firstLowAfterStart, i);
                }
            }
            assertThat(lastHigh).as("order %s", order).isLessThan(firstLowAfterStart);
        }
    }
}
