package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.SubmitClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault suite's registry outage: a dispatcher and three workers, tasks fed continuously, and the schema
 * registry stopped for {@link #OUTAGE} and started again on the same URL and data directory. Two workers
 * were busy before the outage (every schema they need is cached); the third joined just before it and
 * gets its first tasks (those requiring zone c, fed from the outage on) while the registry is away: the
 * dispatcher writes to a worker topic it never wrote to (a new subject) and the worker reads an assignment
 * schema it never read. Nothing may be dead-lettered for the outage, no submit may fail, the warm workers
 * must keep completing tasks while the registry is away, every task submitted before, during and after
 * must end, and {@link TopicAudit} must find nothing lost and nothing dispatched or accepted twice.
 *
 * <p>Short form in {@code mvn verify}: one outage. Long form:
 * {@code mvn -pl dispatcher -am verify -Dit.test=RegistryRestartIT -Dfaults.cycles=10} (prints its figures).
 */
@ExtendWith(EmbeddedKafkaExtension.class)
class RegistryRestartIT {
    private static final Duration OUTAGE = Duration.ofSeconds(15);
    private static final Duration RECOVERY_BOUND = Duration.ofSeconds(90);
    private static final int PROGRESS = 30;
    private static final long SUBMIT_EVERY_MS = 40;
    private static final Map<String, Map<String, String>> WORKERS = Map.of(
            "w1", Map.of("zone", "a"), "w2", Map.of("zone", "a"), "w3", Map.of("zone", "c"));

    @Test
    void aRegistryOutageDeadLettersNothingAndProcessingResumes(EmbeddedKafka kafka, @TempDir Path dir)
            throws Exception {
        int cycles = Integer.getInteger("faults.cycles", 1);
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(EmbeddedRegistry.Options.defaults()
                .withDataDir(dir.resolve("registry")));
             Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            FaultMetrics metrics = new FaultMetrics();
            stack.dispatcher(metrics);
            OutcomeTracker outcomes = stack.outcomes();
            stack.worker("w1", 4, WORKERS.get("w1"), work());
            stack.worker("w2", 4, WORKERS.get("w2"), work());
            SubmitClient submitter = stack.submitter();
            Feed feed = new Feed(submitter);
            feeder.scheduleAtFixedRate(feed::next, 0, SUBMIT_EVERY_MS, TimeUnit.MILLISECONDS);
            awaitProgress(outcomes, Duration.ofSeconds(120), Duration.ZERO);
            stack.worker("w3", 4, WORKERS.get("w3"), work());

            List<String> figures = new ArrayList<>();
            for (int cycle = 0; cycle < cycles; cycle++) {
                registry.stop();
                feed.zoneC.set(true);
                int before = outcomes.completed();
                awaitProgress(outcomes, OUTAGE.plus(RECOVERY_BOUND), OUTAGE);
                int during = outcomes.completed() - before;
                long restart = System.nanoTime();
                registry.restart();
                long restartMs = millisSince(restart);
                Set<String> submittedSoFar = Set.copyOf(feed.ids);
                await("every task submitted up to the restart ends").atMost(RECOVERY_BOUND)
                        .pollInterval(Duration.ofMillis(200)).until(() -> outcomes.allEnded(submittedSoFar));
                figures.add(String.format("outage %d: %d completed while away, registry back in %d ms, all %d "
                        + "tasks so far ended %d ms after the restart", cycle + 1, during, restartMs,
                        submittedSoFar.size(), millisSince(restart)));
            }
            awaitProgress(outcomes, RECOVERY_BOUND, Duration.ZERO);
            Set<String> all = Drain.everyTaskEnds(feeder, submitter, feed.ids, outcomes, RECOVERY_BOUND);

            TopicAudit.Report report = TopicAudit.audit(stack, RegistryRestartIT::sequence, WORKERS);
            long zoneC = outcomes.completedBy().values().stream().filter("w3"::equals).count();
            System.out.printf("registry restart: %d outage(s) of %d s; %s; %d tasks on the worker that joined "
                    + "before the outage; submit failures %d; dispatcher dead letters %s; %s%n", cycles,
                    OUTAGE.toSeconds(), report, zoneC, feed.failures.get(), metrics.deadLetters(), figures);
            assertThat(feed.failures.get()).as("submits that failed during the outage").isZero();
            assertThat(report.submitted()).isEqualTo(all.size());
            assertThat(report.clean()).as(report.toString()).isTrue();
            assertThat(report.deadLettered()).as(report.toString()).isZero();
            assertThat(zoneC).as("tasks only the new worker could run").isPositive();
        } finally {
            feeder.shutdownNow();
        }
    }

    private static io.kdispatch.sdk.TaskHandler work() {
        return ctx -> {
            SimulatedWork.take(10);
            return ctx.payload();
        };
    }

    /** The submissions: every other task has one of 8 affinity keys; from the first outage on every 4th needs zone c. */
    private static final class Feed {
        private final SubmitClient submitter;
        private final AtomicLong next = new AtomicLong();
        final Set<String> ids = ConcurrentHashMap.newKeySet();
        final AtomicBoolean zoneC = new AtomicBoolean();
        final AtomicLong failures = new AtomicLong();

        Feed(SubmitClient submitter) {
            this.submitter = submitter;
        }

        void next() {
            long n = next.getAndIncrement();
            String id = "r-" + n;
            Task.Builder task = Task.newBuilder().setId(id).setType("fault")
                    .setPayload(ByteBuffer.wrap(new byte[] {1}));
            if (n % 2 == 0) {
                task.setAffinityKey("k-" + n % 16 / 2);
            }
            task.setRequiredLabels(zoneC.get() && n % 4 == 1 ? Map.of("zone", "c") : Map.of("zone", "a"));
            submitter.submit(task.build()).whenComplete((metadata, error) -> {
                if (error == null) {
                    ids.add(id);
                } else {
                    failures.incrementAndGet();
                }
            });
        }
    }

    private static long sequence(String taskId) {
        return Long.parseLong(taskId.substring(2));
    }

    /** Waits until {@link #PROGRESS} more tasks completed and at least {@code atLeast} has passed. */
    private static void awaitProgress(OutcomeTracker outcomes, Duration bound, Duration atLeast) {
        int from = outcomes.completed();
        long begin = System.nanoTime();
        await("progress").atMost(bound).pollInterval(Duration.ofMillis(200))
                .until(() -> outcomes.completed() >= from + PROGRESS && millisSince(begin) >= atLeast.toMillis());
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
