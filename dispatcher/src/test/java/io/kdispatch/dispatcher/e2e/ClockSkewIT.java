package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.Task;
import io.kdispatch.sdk.SubmitClient;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fault suite's clock skew: of three workers, one's clock runs {@link #SKEW} ahead and one's as much
 * behind (fault injection through the worker's {@code Clock}, which stamps its heartbeats' {@code sentAt},
 * its results' {@code startedAt} and {@code completedAt}, and judges task deadlines; Kafka record timestamps
 * stay the producer's, and the dispatcher decides nothing by them), one's is right. Tasks flow for {@code faults.cycles}
 * rounds of {@link #ROUND}, with a lease of {@link #LEASE} and, every round, one long task per worker that
 * runs for {@link #LONG_TASK} (over two leases: its lease must be extended). The dispatcher judges liveness
 * and leases on its own clock (heartbeats by their receipt, extensions by their arrival), so the skewed
 * workers must never be judged suspect or dead, nothing may be re-dispatched (no lease expires), the skewed
 * workers must get and complete their share, and {@link TopicAudit} must be clean.
 *
 * <p>A warm-up task per worker goes first and is left out of the judgement: a worker's first fetch waits for
 * its consumer group, which on a loaded machine can outlast a short lease.
 *
 * <p>Short form in {@code mvn verify}: {@value #DEFAULT_ROUNDS} rounds. Long form:
 * {@code mvn -pl dispatcher -am verify -Dit.test=ClockSkewIT -Dfaults.cycles=30} (prints its figures).
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class ClockSkewIT {
    static final int DEFAULT_ROUNDS = 3;
    private static final Duration SKEW = Duration.ofMinutes(5);
    private static final Duration ROUND = Duration.ofSeconds(8);
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final Duration LONG_TASK = Duration.ofMillis(12_000);
    private static final Duration DRAIN_BOUND = Duration.ofSeconds(60);
    private static final long SUBMIT_EVERY_MS = 40;
    private static final Map<String, Duration> OFFSETS = offsets();

    @Test
    void skewedWorkersAreNeitherDeclaredDeadNorLoseTheirLeases(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        int rounds = Integer.getInteger("faults.cycles", DEFAULT_ROUNDS);
        Map<String, Map<String, String>> labels = new LinkedHashMap<>();
        OFFSETS.keySet().forEach(id -> labels.put(id, Map.of("host", id)));
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.lease = LEASE;
            FaultMetrics metrics = new FaultMetrics();
            stack.dispatcher(metrics);
            OutcomeTracker outcomes = stack.outcomes();
            OFFSETS.forEach((id, offset) -> stack.worker(id, 4, labels.get(id), ctx -> {
                SimulatedWork.take(ctx.taskId().startsWith("long") ? LONG_TASK.toMillis() : 10);
                return ctx.payload();
            }, b -> b.clock(Clock.offset(Clock.systemUTC(), offset))));
            SubmitClient submitter = stack.submitter();
            Map<String, Long> warmUp = warmUp(submitter, outcomes, metrics);
            Set<String> ids = ConcurrentHashMap.newKeySet();
            AtomicLong next = new AtomicLong();
            feeder.scheduleAtFixedRate(() -> ids.add(submit(submitter, "s-" + next.getAndIncrement(), null)), 0,
                    SUBMIT_EVERY_MS, TimeUnit.MILLISECONDS);
            for (int round = 0; round < rounds; round++) {
                for (String worker : OFFSETS.keySet()) {
                    ids.add(submit(submitter, "long-" + round + "-" + worker, worker));
                }
                holdRound();
            }
            Set<String> all = Drain.everyTaskEnds(feeder, submitter, ids, outcomes, DRAIN_BOUND);

            TopicAudit.Report report = TopicAudit.audit(stack, ClockSkewIT::sequence, labels);
            Map<String, Long> perWorker = outcomes.perWorker();
            System.out.printf("clock skew: workers off by %s, %d rounds of %d s, lease %d ms, long tasks %d ms; %s; "
                    + "completed per worker %s; liveness judgements %s; re-dispatches %s%n", OFFSETS, rounds,
                    ROUND.toSeconds(), LEASE.toMillis(), LONG_TASK.toMillis(), report, perWorker,
                    Map.of("ahead", metrics.livenessOf("ahead"), "behind", metrics.livenessOf("behind"),
                            "true", metrics.livenessOf("true")), metrics.redispatches());
            assertThat(report.clean()).as(report.toString()).isTrue();
            assertThat(report.deadLettered()).as(report.toString()).isZero();
            assertThat(report.reruns()).as("tasks run twice").allMatch(r -> r.startsWith("warm-"));
            assertThat(metrics.redispatches()).as("re-dispatches (a lease expired or a worker was judged dead) after "
                    + "the warm-up").isEqualTo(warmUp);
            for (String worker : OFFSETS.keySet()) {
                assertThat(metrics.unhealthyJudgements(worker)).as(worker + " judged suspect or dead: "
                        + metrics.livenessOf(worker)).isZero();
                assertThat(perWorker.getOrDefault(worker, 0L)).as("tasks completed by " + worker)
                        .isGreaterThan(all.size() / 10);
            }
        } finally {
            feeder.shutdownNow();
        }
    }

    /**
     * One task per worker, awaited: the workers' first fetch (a consumer group join on a busy machine) is not
     * what this test measures. Returns the re-dispatches so far, which the rest of the run must not add to.
     */
    private static Map<String, Long> warmUp(SubmitClient submitter, OutcomeTracker outcomes, FaultMetrics metrics) {
        Set<String> warm = new java.util.HashSet<>();
        OFFSETS.keySet().forEach(worker -> warm.add(submit(submitter, "warm-" + worker, worker)));
        await("every worker ran its first task").atMost(DRAIN_BOUND).pollInterval(Duration.ofMillis(200))
                .until(() -> outcomes.allEnded(warm));
        return metrics.redispatches();
    }

    private static Map<String, Duration> offsets() {
        Map<String, Duration> offsets = new LinkedHashMap<>();
        offsets.put("ahead", SKEW);
        offsets.put("behind", SKEW.negated());
        offsets.put("true", Duration.ZERO);
        return offsets;
    }

    /** A round lasts {@link #ROUND}: the fault's length, not a wait for Kafka. */
    private static void holdRound() {
        long begin = System.nanoTime();
        await("a round").atMost(ROUND.plusSeconds(5)).pollInterval(Duration.ofMillis(250))
                .until(() -> System.nanoTime() - begin >= ROUND.toNanos());
    }

    /** A task; one for {@code host} (a long one) or, with null, for any worker, half of them with a key. */
    private static String submit(SubmitClient submitter, String id, String host) {
        Task.Builder task = Task.newBuilder().setId(id).setType("skew").setPayload(ByteBuffer.wrap(new byte[] {1}));
        if (host != null) {
            task.setRequiredLabels(Map.of("host", host)); // long and warm-up tasks: no key, no sequence
        } else if (sequence(id) % 2 == 0) {
            task.setAffinityKey("k-" + sequence(id) % 16 / 2);
        }
        submitter.submit(task.build());
        return id;
    }

    private static long sequence(String taskId) {
        return taskId.startsWith("s-") ? Long.parseLong(taskId.substring(2)) : -1;
    }
}
