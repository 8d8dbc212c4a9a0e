package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdispatch.dispatcher.demo.OutcomeTracker;
import io.kdispatch.dispatcher.lag.LagReader;
import io.kdispatch.dispatcher.lag.LagSettings;
import io.kdispatch.dispatcher.lag.LagUnavailableException;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.sdk.SubmitClient;
import io.kdispatch.sdk.TaskHandler;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fair queueing between tenants (the acceptance): with equal weights, a tenant's burst does not make
 * another tenant wait. Two dispatcher instances of one application share the six partitions; three workers of
 * 16 slots run each task for 100 to 300 ms (uniform by task ID, mean 200 ms, as in the simulator's agreement
 * scenario: with one fixed duration every worker's slots ran in lockstep, all ending at once, and a task sent
 * beside the burst waited up to a whole task for the next free slot, whatever the queue's order); tenants are the
 * {@code tenant} task header ({@link Tenancy#DEFAULTS}).
 * <ol>
 *   <li><b>alone</b>: tenant {@code small} submits {@value #SMALL} tasks, one every {@value #PACE_MS} ms, with
 *       nothing else in the system; all complete.</li>
 *   <li><b>beside the burst</b>: tenant {@code burst} submits {@value #BURST} tasks at once (about 80 s of the
 *       fleet's time); once the dispatchers have read the whole intake (their group's intake lag is 0, so the
 *       burst waits in the dispatchers' queues, not in Kafka: the submit client puts each task on the partition
 *       of its routing key, so no repartition topic holds any back), {@code small} submits {@value #SMALL}
 *       tasks again at the same pace. The test ends when those have started and completed, long before the
 *       burst has; the burst tasks started by then are counted.</li>
 * </ol>
 * A small task's wait runs from just before its {@code submit} to the start of its handler on a worker, both
 * read on this JVM's {@link System#nanoTime()}; submit to the assignment's {@code assignedAt} (dispatcher wall
 * clock, this JVM too) is shown beside it. The figures, with the ratio of the p99 waits against the issue's
 * bound of {@value #BOUND}, are printed on one line, and the slowest tasks with their worker and rule on the
 * next, with how many burst tasks had started when the last small task started. The test asserts only that every
 * small task ran exactly once. The fairness figures are measurements, not assertions (timing goals are shown by
 * measurements, not by timed tests): on this 2-core host the ratio was 0.95 to 1.8 in most runs, 2.3 to 3.4 in
 * some, and 52 to 212 in runs where the dispatchers fell behind reading the burst and the workers' topics filled
 * (issue 13's note has the runs and what is open). The warm-up tasks of
 * a third tenant only settle the instances' partitions and their view of the fleet before anything is measured.
 * Run alone: {@code mvn -pl dispatcher -am verify -Dit.test=FairQueueIT -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class FairQueueIT {
    private static final int WORKERS = 3;
    private static final int SLOTS = 16;
    private static final long WORK_MIN_MS = 100;
    private static final int WORK_SPREAD_MS = 200;
    private static final int SMALL = 100;
    private static final long PACE_MS = 40;
    private static final int BURST = 20_000;
    private static final double BOUND = 2.0;
    private static final String SMALL_TENANT = "small";
    private static final String BURST_TENANT = "burst";

    private final Map<String, Long> submittedNanos = new ConcurrentHashMap<>();
    private final Map<String, Long> submittedMillis = new ConcurrentHashMap<>();
    private final Map<String, Long> startedNanos = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();
    private final AtomicInteger burstStarted = new AtomicInteger();
    /** Burst tasks started when the latest small task started. */
    private final AtomicInteger burstAheadOfSmall = new AtomicInteger();
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();

    @Test
    void aSmallTenantBesideAnotherTenantsBurst(EmbeddedKafka kafka, EmbeddedRegistry registry)
            throws Exception {
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        try (Stack stack = new Stack(kafka.bootstrapServers(), registry.url())) {
            stack.dispatcher(DispatchMetrics.NOOP);
            stack.dispatcher(DispatchMetrics.NOOP);
            for (int w = 1; w <= WORKERS; w++) {
                stack.worker("w" + w, SLOTS, work());
            }
            OutcomeTracker outcomes = stack.outcomes();
            SubmitClient submitter = stack.submitter();
            LagReader lag = stack.track(new LagReader(stack.bootstrapServers, stack.topics,
                    stack.config().applicationId(), LagSettings.defaults(), Map.of(), Clock.systemUTC()));
            warmUp(submitter, outcomes);

            Set<String> alone = paced(feeder, submitter, "alone");
            awaitRun(alone, outcomes);
            String burst = burst(submitter, lag);
            Set<String> beside = paced(feeder, submitter, "beside");
            awaitRun(beside, outcomes);

            report(stack, alone, beside, burst);
            assertRanOnce(stack, outcomes, alone, beside);
        } finally {
            feeder.shutdownNow();
            assertThat(feeder.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Records each task's handler start (before the work, on this JVM's clock), then works for 100 to 300 ms. */
    private TaskHandler work() {
        return ctx -> {
            long now = System.nanoTime();
            if (BURST_TENANT.equals(ctx.headers().get(Tenancy.DEFAULT_HEADER))) {
                burstStarted.incrementAndGet();
            } else {
                startedNanos.putIfAbsent(ctx.taskId(), now);
                burstAheadOfSmall.accumulateAndGet(burstStarted.get(), Math::max);
                starts.computeIfAbsent(ctx.taskId(), id -> new AtomicInteger()).incrementAndGet();
            }
            SimulatedWork.take(WORK_MIN_MS + Math.floorMod(ctx.taskId().hashCode(), WORK_SPREAD_MS + 1));
            return ctx.payload();
        };
    }

    /** One task per slot of another tenant, so both instances own their partitions and know every worker. */
    private void warmUp(SubmitClient submitter, OutcomeTracker outcomes) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < WORKERS * SLOTS; i++) {
            ids.add(send(submitter, "warm-" + i, "warm"));
        }
        submitter.flush();
        await("the warm-up tasks end").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> outcomes.allEnded(ids));
    }

    /** {@value #SMALL} tasks of the small tenant, one every {@value #PACE_MS} ms; returns once all were sent. */
    private Set<String> paced(ScheduledExecutorService feeder, SubmitClient submitter, String phase) {
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < SMALL; i++) {
            String id = phase + "-" + i;
            ids.add(id);
            feeder.schedule(() -> send(submitter, id, SMALL_TENANT), i * PACE_MS, TimeUnit.MILLISECONDS);
        }
        await("the " + phase + " tasks are submitted").atMost(Duration.ofMillis(SMALL * PACE_MS).plusSeconds(30))
                .pollInterval(Duration.ofMillis(50)).until(() -> submittedNanos.keySet().containsAll(ids));
        submitter.flush();
        return ids;
    }

    /** Sends one task of {@code tenant}; a small task's submit time is taken just before. */
    private String send(SubmitClient submitter, String id, String tenant) {
        Task task = Task.newBuilder().setId(id).setType("fair").setHeaders(Map.of(Tenancy.DEFAULT_HEADER, tenant))
                .setPayload(ByteBuffer.wrap(new byte[] {1})).build();
        if (!BURST_TENANT.equals(tenant)) {
            submittedMillis.put(id, System.currentTimeMillis());
            submittedNanos.put(id, System.nanoTime());
        }
        submitter.submit(task).whenComplete((metadata, error) -> {
            if (error != null) {
                failures.add(id + ": " + error);
            }
        });
        return id;
    }

    private void awaitRun(Set<String> ids, OutcomeTracker outcomes) {
        await("every task of the phase starts").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                .until(() -> startedNanos.keySet().containsAll(ids));
        await("every task of the phase ends").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> outcomes.allEnded(ids));
    }

    /**
     * Submits the burst as fast as the client takes it and waits until the dispatchers' group has read the intake
     * to its end, so the whole burst is in their queues; returns how long each took.
     */
    private String burst(SubmitClient submitter, LagReader lag) {
        long from = System.nanoTime();
        for (int i = 0; i < BURST; i++) {
            send(submitter, "burst-" + i, BURST_TENANT);
        }
        submitter.flush();
        long flushedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
        await("the dispatchers read the whole intake").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptionsInstanceOf(LagUnavailableException.class)
                .until(() -> lag.read().intake().lag() == 0);
        return String.format("%d tasks flushed in %d ms, intake read to its end %d ms after the first was sent", BURST,
                flushedMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from));
    }

    private double waitMs(String id) {
        return (startedNanos.get(id) - submittedNanos.get(id)) / 1e6;
    }

    private void report(Stack stack, Set<String> alone, Set<String> beside, String burst) {
        int burstRan = burstStarted.get();
        Map<String, Long> assigned = new HashMap<>();
        Map<String, String> placed = new HashMap<>();
        for (TaskAssignment a : WorkerTopics.readAll(stack, 2 * SMALL,
                a -> SMALL_TENANT.equals(a.getTask().getHeaders().get(Tenancy.DEFAULT_HEADER)))) {
            assigned.merge(a.getTask().getId(), a.getAssignedAt().toEpochMilli(), Math::min);
            placed.merge(a.getTask().getId(), a.getWorkerId() + " " + a.getStrategy(), (x, y) -> x + ", then " + y);
        }
        ToDoubleFunction<String> toAssigned = id -> assigned.get(id) - submittedMillis.get(id);
        Waits aloneWaits = Waits.of(alone, this::waitMs);
        Waits besideWaits = Waits.of(beside, this::waitMs);
        System.out.printf("FairQueueIT: small's wait, submit to handler start: alone %s; beside the burst %s; p99 "
                + "ratio %.2f (bound %.1f). Submit to assignedAt: alone %s; beside %s. Burst: %s; %d of them started "
                + "by the end, %d when the last small task started. Submit failures %s%s%n", aloneWaits, besideWaits,
                besideWaits.p99() / aloneWaits.p99(), BOUND, Waits.of(alone, toAssigned), Waits.of(beside, toAssigned),
                burst, burstRan, burstAheadOfSmall.get(), failures,
                aloneWaits.p99() < 50 ? ". WARNING: the p99 alone is under 50 ms, the 2x bound is within noise" : "");
        System.out.printf("FairQueueIT: the slowest beside the burst (wait to start, to assignedAt, worker and rule): %s%n",
                beside.stream().sorted(java.util.Comparator.comparingDouble(this::waitMs).reversed()).limit(8)
                        .map(id -> String.format("%s %.0f/%.0f ms %s", id, waitMs(id), toAssigned.applyAsDouble(id),
                                placed.get(id))).toList());
    }

    /** Every small task completed and its handler ran exactly once (one success, no other execution). */
    private void assertRanOnce(Stack stack, OutcomeTracker outcomes, Set<String> alone, Set<String> beside) {
        Set<String> small = new LinkedHashSet<>(alone);
        small.addAll(beside);
        assertThat(failures).as("submits that failed").isEmpty();
        assertThat(small).as("small tasks without a successful result").allMatch(outcomes.completedBy()::containsKey);
        assertThat(small.stream().filter(id -> starts.get(id).get() != 1).toList())
                .as("small tasks whose handler started other than once").isEmpty();
        assertThat(stack.executions.select(e -> small.contains(e.taskId())).stream()
                .map(e -> e.taskId() + " " + e.status()).sorted().toList()).as("the small tasks' executions")
                .isEqualTo(small.stream().map(id -> id + " " + ResultStatus.SUCCEEDED).sorted().toList());
    }

    /** Nearest-rank percentiles of one phase's waits, in milliseconds. */
    private record Waits(double p50, double p99, double max) {
        static Waits of(Set<String> ids, ToDoubleFunction<String> waitMs) {
            double[] sorted = ids.stream().mapToDouble(waitMs).sorted().toArray();
            return new Waits(rank(sorted, 0.50), rank(sorted, 0.99), sorted[sorted.length - 1]);
        }

        private static double rank(double[] sorted, double p) {
            return sorted[(int) Math.ceil(p * sorted.length) - 1];
        }

        @Override
        public String toString() {
            return String.format("p50 %.1f / p99 %.1f / max %.1f ms", p50, p99, max);
        }
    }
}
