package io.kdispatch.sdk.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.ThreadLeaks;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.sdk.Worker;
import io.kdispatch.sdk.testing.ExecutionLog;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Leases kept alive, stale assignments skipped, saturation answered with REJECTED, and their metrics. */
@ExtendWith(EmbeddedKafkaExtension.class)
class WorkerLeaseAndLoadTest {
    private static final Duration LEAK_TIMEOUT = Duration.ofSeconds(10);
    private static final String WARM_UP = "warm-up";

    private Cluster cluster;

    @BeforeEach
    void setUp(EmbeddedKafka kafka) throws Exception {
        cluster = new Cluster(kafka);
    }

    @Test
    void aTaskLongerThanItsLeaseIsExtendedAutomaticallyAndAnsweredOnce() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutionLog log = new ExecutionLog();
        Set<Thread> before = ThreadLeaks.snapshot();
        Worker worker = cluster.worker("lease-1", ctx -> {
            if (ctx.taskId().equals(WARM_UP)) {
                return null;
            }
            // the work itself: 2.5 s, two and a half times the 1 s lease
            new CountDownLatch(1).await(2500, TimeUnit.MILLISECONDS);
            return null;
        }).listener(log).meterRegistry(registry).build();
        try (TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            warmUp("lease-1", results);
            cluster.assign("lease-1", Duration.ofSeconds(1), Cluster.assignment("lease-1", "long"));

            List<TaskResult> all = results.awaitMatching(2, r -> r.getStatus() != ResultStatus.LEASE_EXTENSION)
                    .stream().map(ConsumerRecord::value).filter(r -> r.getTaskId().equals("long")).toList();
            List<TaskResult> extensions = all.stream().filter(r -> r.getStatus() == ResultStatus.LEASE_EXTENSION)
                    .toList();
            assertTrue(extensions.size() >= 2, "extensions every third of the lease: " + all);
            assertEquals(ResultStatus.SUCCEEDED, all.get(all.size() - 1).getStatus(), "the final result comes last");
            assertEquals(1, all.size() - extensions.size(), "exactly one final result: " + all);
            assertTrue(all.stream().allMatch(r -> r.getAttempt() == 1 && r.getTaskId().equals("long")
                    && r.getWorkerIncarnation() == worker.incarnation()));

            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed("lease-1") == 3);
            assertEquals(2, log.count(), "extensions are not executions");
            assertEquals(2.0, registry.get("kdispatch.worker.executions").tags("worker", "lease-1", "status", "SUCCEEDED")
                    .counter().count());
            assertEquals(extensions.size(), (int) registry.get("kdispatch.worker.lease.extensions").counter().count());
            assertEquals(2, registry.get("kdispatch.worker.execution.duration").timer().count());
            assertTrue(registry.get("kdispatch.worker.execution.duration").timer().totalTime(TimeUnit.MILLISECONDS)
                    >= 2400);
            assertEquals(0.0, registry.get("kdispatch.worker.in.flight").tag("worker", "lease-1").gauge().value());
        } finally {
            worker.close();
        }
        ThreadLeaks.awaitNoneStartedSince(before, LEAK_TIMEOUT);
        assertTrue(registry.find("kdispatch.worker.in.flight").gauges().isEmpty(), "gauges go with the worker");
    }

    @Test
    void aHandlerCanExtendItsLeaseExplicitly() throws Exception {
        try (Worker worker = cluster.worker("lease-2", ctx -> {
                    ctx.extendLease();
                    ctx.extendLease();
                    return null;
                }).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            // a 60 s lease: no automatic extension within this test
            cluster.assign("lease-2", Cluster.assignment("lease-2", "explicit"));

            List<ResultStatus> statuses = results.awaitMatching(1, r -> r.getStatus() == ResultStatus.SUCCEEDED)
                    .stream().map(r -> r.value().getStatus()).toList();
            assertEquals(List.of(ResultStatus.LEASE_EXTENSION, ResultStatus.LEASE_EXTENSION, ResultStatus.SUCCEEDED),
                    statuses);
        }
    }

    @Test
    void abortStopsExtendingAndLeavesNoThreadBehind() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        Set<Thread> before = ThreadLeaks.snapshot();
        Worker worker = cluster.worker("lease-3", ctx -> {
            if (!ctx.taskId().equals(WARM_UP)) {
                never.await(30, TimeUnit.SECONDS);
            }
            return null;
        }).build();
        try (TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            warmUp("lease-3", results);
            cluster.assign("lease-3", Duration.ofSeconds(1), Cluster.assignment("lease-3", "stuck"));
            results.awaitMatching(1, r -> r.getStatus() == ResultStatus.LEASE_EXTENSION);
            worker.abort();
            ThreadLeaks.awaitNoneStartedSince(before, LEAK_TIMEOUT);
            assertTrue(results.read().stream().filter(r -> r.value().getTaskId().equals("stuck"))
                            .allMatch(r -> r.value().getStatus() == ResultStatus.LEASE_EXTENSION),
                    "an aborted worker publishes no result");
        } finally {
            never.countDown();
            worker.close();
        }
    }

    @Test
    void assignmentsTheDispatcherHasMovedAreSkippedCountedAndCommitted() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ExecutionLog log = new ExecutionLog();
        try (Worker worker = cluster.worker("stale-1", ctx -> null).listener(log).meterRegistry(registry).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            // from a dispatcher that sends no leaseMs, so the worker judges it on its past deadline
            TaskAssignment expired = Cluster.assignment("stale-1", "expired");
            expired.setAssignedAt(Instant.now().minusSeconds(40));
            expired.setLeaseDeadline(Instant.now().minusSeconds(10));
            expired.setLeaseMs(0);
            TaskAssignment previousRun = Cluster.assignment("stale-1", "previous-run");
            previousRun.setWorkerIncarnation(worker.incarnation() == 1 ? 2 : worker.incarnation() - 1);
            TaskAssignment mine = Cluster.assignment("stale-1", "mine");
            mine.setWorkerIncarnation(worker.incarnation());
            cluster.assign("stale-1", expired, previousRun, mine);

            List<ConsumerRecord<String, TaskResult>> records = results.awaitCount(1);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed("stale-1") == 3);
            assertEquals(List.of("mine"), results.read().stream().map(r -> r.value().getTaskId()).toList(),
                    "no result for skipped assignments: " + records);
            assertEquals(2, worker.skipped());
            assertEquals(1, log.count(), "skips are not executions");
            assertEquals(1.0, registry.get("kdispatch.worker.skipped").tag("reason", "lease-expired").counter().count());
            assertEquals(1.0, registry.get("kdispatch.worker.skipped").tag("reason", "other-incarnation")
                    .counter().count());
        }
    }

    @Test
    void aSaturatedWorkerRejectsWhatExceedsCapacityPlusMaxQueued() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutionLog log = new ExecutionLog();
        // capacity 1 + maxQueued 1, but all six assignments arrive in one poll
        Worker worker = cluster.worker("busy-1", ctx -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return null;
        }).capacity(1).maxQueued(1).listener(log).meterRegistry(registry)
                .kafkaProperties(Map.of("max.poll.records", 50)).build();
        try (TopicReader<TaskResult> results = cluster.results();
             TopicReader<WorkerHeartbeat> heartbeats = cluster.heartbeats()) {
            TaskAssignment[] assignments = new TaskAssignment[6];
            for (int i = 0; i < assignments.length; i++) {
                assignments[i] = Cluster.assignment("busy-1", "task-" + i);
            }
            cluster.assign("busy-1", assignments);
            worker.start();
            assertTrue(entered.await(15, TimeUnit.SECONDS));

            List<TaskResult> rejected = results.awaitMatching(4, r -> r.getStatus() == ResultStatus.REJECTED)
                    .stream().map(ConsumerRecord::value).toList();
            assertEquals(Set.of("task-2", "task-3", "task-4", "task-5"),
                    rejected.stream().map(TaskResult::getTaskId).collect(Collectors.toSet()));
            // all six arrive in one poll, before any starts: two wait when the others are rejected
            assertTrue(rejected.stream().allMatch(r -> r.getError().equals("worker busy-1 saturated: 2 queued")),
                    rejected.get(0).getError());
            // the heartbeat declares the queue: the dispatcher's credit never goes beyond it
            heartbeats.awaitMatching(1, hb -> hb.getInFlight() == 1 && hb.getQueued() == 1 && hb.getMaxQueued() == 1);
            assertEquals(1.0, registry.get("kdispatch.worker.queued").gauge().value());

            release.countDown();
            Map<String, TaskResult> succeeded = results.awaitMatching(2, r -> r.getStatus() == ResultStatus.SUCCEEDED)
                    .stream().map(ConsumerRecord::value).collect(Collectors.toMap(TaskResult::getTaskId, r -> r));
            // task-1 came in the same poll and waited for task-0's slot: its wait covers task-0's run
            assertTrue(succeeded.get("task-0").getQueuedMs() >= 0, succeeded.toString());
            assertTrue(succeeded.get("task-1").getQueuedMs() >= succeeded.get("task-0").getDurationMs(),
                    succeeded.toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed("busy-1") == 6);
            assertEquals(6, log.count());
            assertEquals(4.0, registry.get("kdispatch.worker.executions").tag("status", "REJECTED").counter().count());
        } finally {
            release.countDown();
            worker.close();
        }
    }

    @Test
    void aFullWorkerCountsWhatWaitsUnreadInItsTopicInItsHeartbeat() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // capacity 1 + maxQueued 1, one record per poll: it holds two and leaves the rest in its topic
        Worker worker = cluster.worker("full-1", ctx -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return null;
        }).capacity(1).maxQueued(1).build();
        try (TopicReader<WorkerHeartbeat> heartbeats = cluster.heartbeats()) {
            worker.start();
            cluster.assign("full-1", Cluster.assignment("full-1", "first"));
            assertTrue(entered.await(15, TimeUnit.SECONDS));
            TaskAssignment[] more = new TaskAssignment[20];
            for (int i = 0; i < more.length; i++) {
                more[i] = Cluster.assignment("full-1", "more-" + i);
            }
            cluster.assign("full-1", more);

            // 1 running, 1 fetched and waiting, 19 unread, plus the marker of the one transaction that wrote them
            // (the documented upper bound): what the dispatcher must count as its load
            heartbeats.awaitMatching(1, hb -> hb.getWorkerId().equals("full-1") && hb.getInFlight() == 1
                    && hb.getQueued() == 1 && hb.getUnread() == 19 + 1);
            release.countDown();
            heartbeats.awaitMatching(1, hb -> hb.getWorkerId().equals("full-1") && hb.getUnread() == 0
                    && hb.getInFlight() == 0 && hb.getQueued() == 0);
        } finally {
            release.countDown();
            worker.close();
        }
    }

    /**
     * Runs one quick task and waits for its result, so the worker is known to be reading its topic
     * before a short lease starts counting (a group join can take longer than the lease).
     */
    private void warmUp(String workerId, TopicReader<TaskResult> results) throws Exception {
        cluster.assign(workerId, Cluster.assignment(workerId, WARM_UP));
        results.awaitMatching(1, r -> r.getTaskId().equals(WARM_UP) && r.getStatus() == ResultStatus.SUCCEEDED);
    }
}
