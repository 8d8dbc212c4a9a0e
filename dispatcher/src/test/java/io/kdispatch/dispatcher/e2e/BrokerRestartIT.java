package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's single-broker outage: the only broker is stopped for {@link #OUTAGE} while tasks flow
 * and started again on the same data directory and the same port, {@code faults.cycles} times. The
 * dispatcher (exactly-once), three workers, the submitter and the checker's own consumer are left alone:
 * their clients must reconnect by themselves. After each restart the system must complete
 * {@link #PROGRESS} more tasks within {@link #RECOVERY_BOUND}; at the end every task submitted must end
 * and {@link TopicAudit} must find nothing lost, nothing dispatched twice under exactly-once, nothing
 * accepted twice and no key out of order. No task may go out again: the dispatcher must not take the
 * silence of the heartbeat input for the workers' ({@code HeartbeatFlow}; before it, every outage judged
 * the fleet dead and re-ran 120 to 296 tasks). Workers judged suspect are counted.
 *
 * <p>Short form in {@code mvn verify}: {@value #DEFAULT_CYCLES} outages. Long form:
 * {@code mvn -pl dispatcher -am verify -Dit.test=BrokerRestartIT -Dfaults.cycles=20} (prints its figures).
 */
@ExtendWith(EmbeddedRegistryExtension.class)
class BrokerRestartIT {
    static final int DEFAULT_CYCLES = 2;
    private static final Duration OUTAGE = Duration.ofSeconds(8);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);
    private static final int PROGRESS = 30;
    private static final long SUBMIT_EVERY_MS = 40;
    private static final Map<String, Map<String, String>> WORKERS = Map.of(
            "w1", Map.of("zone", "a"), "w2", Map.of("zone", "b"), "w3", Map.of("zone", "a"));

    @Test
    void clientsRideOutABrokerRestartOnTheSameDataDirectory(EmbeddedRegistry registry, @TempDir Path dir)
            throws Exception {
        int cycles = Integer.getInteger("faults.cycles", DEFAULT_CYCLES);
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withDataDir(dir));
             Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            FaultMetrics metrics = new FaultMetrics();
            stack.dispatcher(metrics);
            OutcomeTracker outcomes = stack.outcomes();
            WORKERS.forEach((id, labels) -> stack.worker(id, 4, labels, work()));
            SubmitClient submitter = stack.submitter();
            AtomicLong next = new AtomicLong();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            Set<String> ids = ConcurrentHashMap.newKeySet();
            feeder.scheduleAtFixedRate(() -> submit(submitter, next.getAndIncrement(), ids, failures), 0,
                    SUBMIT_EVERY_MS, TimeUnit.MILLISECONDS);
            awaitProgress(outcomes, Duration.ofSeconds(120));

            List<Long> recoveries = new ArrayList<>();
            for (int cycle = 0; cycle < cycles; cycle++) {
                kafka.stop();
                holdOutage();
                long restarted = System.nanoTime();
                kafka.restart();
                awaitProgress(outcomes, RECOVERY_BOUND);
                recoveries.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
            }
            Set<String> all = Drain.everyTaskEnds(feeder, submitter, ids, outcomes, RECOVERY_BOUND);

            TopicAudit.Report report = TopicAudit.audit(stack, BrokerRestartIT::sequence, WORKERS);
            System.out.printf("broker restart: %d outage(s) of %d s on one broker; %s; submit failures %s; "
                    + "re-dispatches %s; workers judged suspect/dead %s; recovery after each restart (ms from "
                    + "restart() to %d more completions, restart itself included): %s%n", cycles, OUTAGE.toSeconds(),
                    report, failures, metrics.redispatches(), unhealthy(metrics), PROGRESS, recoveries);
            assertThat(failures).as("submits that failed").isEmpty();
            assertThat(report.submitted()).isEqualTo(all.size());
            assertThat(report.clean()).as(report.toString()).isTrue();
            assertThat(report.deadLettered()).as(report.toString()).isZero();
            assertThat(metrics.redispatches()).as("tasks sent out again after an outage").isEmpty();
        } finally {
            feeder.shutdownNow();
        }
    }

    /** The broker stays away for {@link #OUTAGE}: the fault's length, not a wait for Kafka. */
    private static void holdOutage() {
        long begin = System.nanoTime();
        await("the outage's length").atMost(OUTAGE.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> System.nanoTime() - begin >= OUTAGE.toNanos());
    }

    static Map<String, Long> unhealthy(FaultMetrics metrics) {
        Map<String, Long> judged = new java.util.TreeMap<>();
        WORKERS.keySet().forEach(id -> judged.put(id, metrics.unhealthyJudgements(id)));
        return judged;
    }

    static TaskHandler work() {
        return ctx -> {
            SimulatedWork.take(10);
            return ctx.payload();
        };
    }

    /** Task {@code n}: every other one has one of 8 affinity keys, every fifth requires zone b. */
    static void submit(SubmitClient submitter, long n, Set<String> ids, Queue<String> failures) {
        String id = "b-" + n;
        Task.Builder task = Task.newBuilder().setId(id).setType("fault").setPayload(ByteBuffer.wrap(new byte[] {1}));
        if (n % 2 == 0) {
            task.setAffinityKey("k-" + n % 16 / 2);
        }
        if (n % 5 == 0) {
            task.setRequiredLabels(Map.of("zone", "b"));
        }
        submitter.submit(task.build()).whenComplete((metadata, error) -> {
            if (error == null) {
                ids.add(id);
            } else {
                failures.add(id + ": " + error);
            }
        });
    }

    static long sequence(String taskId) {
        return Long.parseLong(taskId.substring(2));
    }

    /** Waits until {@link #PROGRESS} more tasks completed. */
    static void awaitProgress(OutcomeTracker outcomes, Duration bound) {
        int from = outcomes.completed();
        await("progress").atMost(bound).pollInterval(Duration.ofMillis(200))
                .until(() -> outcomes.completed() >= from + PROGRESS);
    }
}
