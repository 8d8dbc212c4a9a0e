package io.kdispatch.sdk.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.embedded.junit.EmbeddedRegistryExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.Worker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A worker whose clock is two minutes off the dispatcher's, either way, judges leases as if the
 * clocks agreed, because it counts {@code leaseMs} on its own monotonic clock from receipt. Judged
 * against the dispatcher's absolute {@code leaseDeadline} instead, a fast clock skipped every fresh
 * assignment with a lease under two minutes, and a slow one renewed its leases two minutes late and
 * ran assignments long given to someone else. The test writes the assignments itself, as the
 * dispatcher would; record timestamps (set by the producers on this machine's real clock) show when
 * the dispatcher would see each record.
 */
@ExtendWith({EmbeddedKafkaExtension.class, EmbeddedRegistryExtension.class})
class WorkerClockSkewTest {
    private static final Duration LEASE = Duration.ofMillis(1200);

    private Cluster cluster;

    @BeforeEach
    void setUp(EmbeddedKafka kafka, EmbeddedRegistry registry) throws Exception {
        cluster = new Cluster(kafka, registry);
    }

    static Stream<Duration> skews() {
        return Stream.of(Duration.ofMinutes(2), Duration.ofMinutes(-2));
    }

    @ParameterizedTest(name = "worker clock off by {0}")
    @MethodSource("skews")
    void freshAssignmentsRunAndNoneIsSkipped(Duration skew) throws Exception {
        String id = workerId("fresh", skew);
        try (Worker worker = skewed(id, skew, ctx -> null).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            cluster.assign(id, LEASE, IntStream.range(0, 5)
                    .mapToObj(i -> Cluster.assignment(id, "fresh-" + i)).toArray(TaskAssignment[]::new));

            results.awaitMatching(5, r -> r.getStatus() == ResultStatus.SUCCEEDED);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed(id) == 5);
            assertEquals(0, worker.skipped(), "a fresh assignment is never skipped, whatever the worker's clock says");
        }
    }

    @ParameterizedTest(name = "worker clock off by {0}")
    @MethodSource("skews")
    void aLongTaskIsRenewedWellWithinItsLease(Duration skew) throws Exception {
        String id = workerId("renew", skew);
        try (Worker worker = skewed(id, skew, ctx -> {
                    if (ctx.taskId().equals("long")) {
                        work(3_000); // two and a half leases
                    }
                    return null;
                }).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            // one quick task first, so the worker is known to be reading before the lease counts
            cluster.assign(id, Cluster.assignment(id, "warm-up"));
            results.awaitMatching(1, r -> r.getTaskId().equals("warm-up"));
            cluster.assign(id, LEASE, Cluster.assignment(id, "long"));

            List<ConsumerRecord<String, TaskResult>> records = results
                    .awaitMatching(1, r -> r.getTaskId().equals("long") && r.getStatus() == ResultStatus.SUCCEEDED)
                    .stream().filter(r -> r.value().getTaskId().equals("long")).toList();
            List<ResultStatus> statuses = records.stream().map(r -> r.value().getStatus()).toList();
            assertEquals(ResultStatus.SUCCEEDED, statuses.get(statuses.size() - 1), "the final result comes last");
            List<ResultStatus> before = statuses.subList(0, statuses.size() - 1);
            assertTrue(before.size() >= 2 && before.stream().allMatch(s -> s == ResultStatus.LEASE_EXTENSION),
                    "extensions, then one final result: " + statuses);
            assertTrue(records.stream().allMatch(r -> r.value().getWorkerIncarnation() == worker.incarnation()));

            List<Long> seen = new ArrayList<>(List.of(sentAt(id, "long")));
            records.forEach(r -> seen.add(r.timestamp()));
            for (int i = 1; i < seen.size(); i++) {
                long gap = seen.get(i) - seen.get(i - 1);
                assertTrue(gap < LEASE.toMillis(), "the dispatcher would have seen the lease of " + LEASE
                        + " run out: " + gap + " ms between records " + (i - 1) + " and " + i + " of " + seen);
            }
        }
    }

    @ParameterizedTest(name = "worker clock off by {0}")
    @MethodSource("skews")
    void anAssignmentThatWaitedLongerThanItsLeaseIsSkipped(Duration skew) throws Exception {
        String id = workerId("queue", skew);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CountDownLatch blocking = new CountDownLatch(1);
        TaskHandler handler = ctx -> {
            if (ctx.taskId().equals("blocker")) {
                blocking.countDown();
                work(1_500); // three times the waiter's lease
            }
            return null;
        };
        // capacity 1, but both assignments arrive in one poll: the waiter queues behind the blocker
        try (Worker worker = skewed(id, skew, handler).capacity(1).meterRegistry(meters)
                        .kafkaProperties(Map.of("max.poll.records", 10)).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            cluster.assign(id, Cluster.assignment(id, "blocker", Duration.ofSeconds(60)),
                    Cluster.assignment(id, "waiter", Duration.ofMillis(500)));
            assertTrue(blocking.await(15, TimeUnit.SECONDS));
            await().atMost(Duration.ofSeconds(5)).until(() -> worker.queued() == 1);

            results.awaitMatching(1, r -> r.getTaskId().equals("blocker") && r.getStatus() == ResultStatus.SUCCEEDED);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed(id) == 2);
            assertEquals(List.of("blocker"), finalResults(results), "the waiter is neither run nor answered");
            assertTrue(results.values().stream().noneMatch(r -> r.getTaskId().equals("waiter")));
            assertEquals(1, worker.skipped());
            assertEquals(1.0, meters.get("kdispatch.worker.skipped").tag("reason", "lease-expired").counter().count());
        }
    }

    /**
     * leaseMs 0 stands for a dispatcher older than that field: the worker then falls back to
     * comparing leaseDeadline with its own clock, so a worker two minutes fast skips an assignment
     * whose deadline is a minute away, and runs one whose deadline is three minutes away.
     */
    @Test
    void withoutLeaseMsTheWorkerFallsBackToTheLeaseDeadline() throws Exception {
        String id = "olddispatcher-fast";
        try (Worker worker = skewed(id, Duration.ofMinutes(2), ctx -> null).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            TaskAssignment soon = Cluster.assignment(id, "deadline-in-1-min", Duration.ofMinutes(1));
            TaskAssignment later = Cluster.assignment(id, "deadline-in-3-min", Duration.ofMinutes(3));
            soon.setLeaseMs(0);
            later.setLeaseMs(0);
            cluster.assign(id, soon, later);

            results.awaitMatching(1, r -> r.getTaskId().equals("deadline-in-3-min"));
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed(id) == 2);
            assertEquals(List.of("deadline-in-3-min"), finalResults(results));
            assertTrue(results.values().stream().noneMatch(r -> r.getTaskId().equals("deadline-in-1-min")));
            assertEquals(1, worker.skipped(), "judged on its deadline, which the worker's clock says has passed");
        }
    }

    /** The task IDs of the results read, lease extensions left out (they are signs of life, not results). */
    private static List<String> finalResults(TopicReader<TaskResult> results) {
        return results.values().stream().filter(r -> r.getStatus() != ResultStatus.LEASE_EXTENSION)
                .map(TaskResult::getTaskId).toList();
    }

    private Worker.Builder skewed(String workerId, Duration skew, TaskHandler handler) {
        return cluster.worker(workerId, handler).clock(Clock.offset(Clock.systemUTC(), skew));
    }

    private static String workerId(String test, Duration skew) {
        return test + (skew.isNegative() ? "-slow" : "-fast");
    }

    /** When the assignment of {@code taskId} was written, on this machine's real clock (ms). */
    private long sentAt(String workerId, String taskId) {
        try (TopicReader<TaskAssignment> written = cluster.assignments(workerId)) {
            return written.awaitMatching(1, a -> a.getTask().getId().equals(taskId)).stream()
                    .filter(r -> r.value().getTask().getId().equals(taskId)).findFirst().orElseThrow().timestamp();
        }
    }

    /** The handler's simulated work: busy for {@code millis}. */
    private static void work(long millis) throws InterruptedException {
        new CountDownLatch(1).await(millis, TimeUnit.MILLISECONDS);
    }
}
