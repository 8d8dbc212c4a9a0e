package io.kdispatch.sdk.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.ThreadLeaks;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.TaskHandler;
import io.kdispatch.sdk.Worker;
import io.kdispatch.sdk.WorkerStartException;
import io.kdispatch.sdk.testing.ExecutionLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Start, heartbeats, graceful shutdown, abort and restart, and what each leaves behind. */
@ExtendWith(EmbeddedKafkaExtension.class)
class WorkerLifecycleTest {
    private static final Duration LEAK_TIMEOUT = Duration.ofSeconds(10);

    private Cluster cluster;

    @BeforeEach
    void setUp(EmbeddedKafka kafka) throws Exception {
        cluster = new Cluster(kafka);
    }

    @Test
    void heartbeatsAnnounceReadyThenDrainingThenLeaving() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Worker worker = cluster.worker("life-1", blocking(entered, release))
                .capacity(2).label("zone", "eu-1").weight(2.5).build();
        try (TopicReader<WorkerHeartbeat> heartbeats = cluster.heartbeats()) {
            worker.start();
            assertEquals(Worker.State.RUNNING, worker.state());
            heartbeats.awaitMatching(2, hb -> hb.getStatus() == WorkerStatus.READY);
            cluster.assign("life-1", Cluster.assignment("life-1", "slow"));
            assertTrue(entered.await(15, TimeUnit.SECONDS));
            heartbeats.awaitMatching(1, hb -> hb.getInFlight() == 1);

            worker.shutdown();
            assertEquals(Worker.State.DRAINING, worker.state());
            heartbeats.awaitMatching(1, hb -> hb.getStatus() == WorkerStatus.DRAINING);
            release.countDown();
            assertTrue(worker.awaitTermination(Duration.ofSeconds(15)));
            List<WorkerHeartbeat> all = heartbeats.awaitMatching(1, hb -> hb.getStatus() == WorkerStatus.LEAVING)
                    .stream().map(ConsumerRecord::value).toList();

            List<WorkerStatus> statuses = all.stream().map(WorkerHeartbeat::getStatus).distinct().toList();
            assertEquals(List.of(WorkerStatus.READY, WorkerStatus.DRAINING, WorkerStatus.LEAVING), statuses);
            assertEquals(WorkerStatus.LEAVING, all.get(all.size() - 1).getStatus(), "goodbye comes last");
            WorkerHeartbeat first = all.get(0);
            assertEquals("life-1", first.getWorkerId());
            assertEquals(worker.incarnation(), first.getIncarnation());
            assertEquals(2, first.getCapacity());
            assertEquals(Map.of("zone", "eu-1"), first.getLabels());
            assertEquals(2.5, first.getWeight());
            assertEquals(200, first.getHeartbeatIntervalMs());
            assertTrue(!first.getSdkVersion().isBlank() && !first.getSdkVersion().equals("unknown"));
        } finally {
            release.countDown();
            worker.close();
        }
    }

    @Test
    void gracefulShutdownFinishesInFlightAndRejectsWhatWaits() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutionLog log = new ExecutionLog();
        // capacity 1 but up to 10 records per poll: two assignments wait in memory (maxQueued 2 allows it)
        Worker worker = cluster.worker("life-2", blocking(entered, release)).capacity(1).maxQueued(2).listener(log)
                .kafkaProperties(Map.of("max.poll.records", 10)).build();
        try (TopicReader<WorkerHeartbeat> heartbeats = cluster.heartbeats();
             TopicReader<TaskResult> results = cluster.results()) {
            cluster.assign("life-2", Cluster.assignment("life-2", "running"),
                    Cluster.assignment("life-2", "waiting-1"), Cluster.assignment("life-2", "waiting-2"));
            worker.start();
            assertTrue(entered.await(15, TimeUnit.SECONDS));
            heartbeats.awaitMatching(1, hb -> hb.getQueued() == 2);

            worker.shutdown();
            release.countDown();
            assertTrue(worker.awaitTermination(Duration.ofSeconds(15)));
            assertTrue(worker.isTerminated());

            Map<String, TaskResult> byTask = results.awaitCount(3).stream()
                    .collect(Collectors.toMap(r -> r.value().getTaskId(), ConsumerRecord::value));
            assertEquals(ResultStatus.SUCCEEDED, byTask.get("running").getStatus());
            assertEquals(ResultStatus.REJECTED, byTask.get("waiting-1").getStatus());
            assertTrue(byTask.get("waiting-2").getError().contains("draining"), byTask.get("waiting-2").getError());
            assertEquals(3, log.count());
            assertEquals(3, cluster.committed("life-2"), "everything answered is committed");
        } finally {
            release.countDown();
            worker.close();
        }
    }

    @Test
    void abortPublishesNothingForInFlightAndARestartRunsThemAgain() throws Exception {
        CountDownLatch entered = new CountDownLatch(2);
        Set<String> interrupted = ConcurrentHashMap.newKeySet();
        ExecutionLog firstLog = new ExecutionLog();
        Worker first = cluster.worker("life-3", ctx -> {
            if (ctx.taskId().startsWith("quick")) {
                return null;
            }
            entered.countDown();
            try {
                new CountDownLatch(1).await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.add(ctx.taskId());
                throw e;
            }
            return null;
        }).capacity(2).listener(firstLog).build();
        first.start();
        cluster.assign("life-3", Cluster.assignment("life-3", "quick-1"));
        await().atMost(Duration.ofSeconds(15)).until(() -> cluster.committed("life-3") == 1);
        cluster.assign("life-3", Cluster.assignment("life-3", "stuck-1"), Cluster.assignment("life-3", "stuck-2"),
                Cluster.assignment("life-3", "stuck-3"));
        assertTrue(entered.await(15, TimeUnit.SECONDS));

        Set<Thread> before = ThreadLeaks.snapshot();
        first.abort();
        assertEquals(Worker.State.TERMINATED, first.state());
        assertEquals(Set.of("stuck-1", "stuck-2"), interrupted, "abort interrupts running handlers");
        assertEquals(1, firstLog.count(), "only quick-1 was published");
        // offset 1 is quick-1's transaction marker; stuck-1 at offset 2 is the first unfinished record
        assertTrue(cluster.committed("life-3") <= 2, "nothing unfinished was committed");
        assertTrue(ThreadLeaks.startedSince(before).isEmpty());

        ExecutionLog secondLog = new ExecutionLog();
        try (Worker second = cluster.worker("life-3", ctx -> null).listener(secondLog).build();
             TopicReader<TaskResult> results = cluster.results()) {
            second.start();
            assertNotEquals(first.incarnation(), second.incarnation());
            await().atMost(Duration.ofSeconds(15)).until(() -> secondLog.count() == 3);
            assertEquals(Set.of("stuck-1", "stuck-2", "stuck-3"), secondLog.groupedByTask().keySet());
            assertTrue(secondLog.events().stream().allMatch(e -> e.incarnation() == second.incarnation()));

            List<TaskResult> all = results.awaitCount(4).stream().map(ConsumerRecord::value).toList();
            Map<String, Long> perTask = all.stream()
                    .collect(Collectors.groupingBy(TaskResult::getTaskId, Collectors.counting()));
            assertEquals(Map.of("quick-1", 1L, "stuck-1", 1L, "stuck-2", 1L, "stuck-3", 1L), perTask);
            assertEquals(second.incarnation(), all.stream().filter(r -> r.getTaskId().equals("stuck-1"))
                    .findFirst().orElseThrow().getWorkerIncarnation());
        }
    }

    @Test
    void closeLeavesNoThreadBehind() throws Exception {
        ExecutionLog log = new ExecutionLog();
        cluster.assign("life-4", Cluster.assignment("life-4", "one"));
        Set<Thread> before = ThreadLeaks.snapshot();
        Worker worker = cluster.worker("life-4", ctx -> null).listener(log).build();
        worker.start();
        await().atMost(Duration.ofSeconds(15)).until(() -> log.count() == 1);
        worker.close();
        assertEquals(Worker.State.TERMINATED, worker.state());
        ThreadLeaks.awaitNoneStartedSince(before, LEAK_TIMEOUT);
        worker.close(); // idempotent
        worker.abort();
        assertThrows(IllegalStateException.class, worker::start);
    }

    @Test
    void abortLeavesNoThreadBehind() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        cluster.assign("life-5", Cluster.assignment("life-5", "stuck"));
        Set<Thread> before = ThreadLeaks.snapshot();
        Worker worker = cluster.worker("life-5", blocking(entered, never)).build();
        worker.start();
        assertTrue(entered.await(15, TimeUnit.SECONDS));
        worker.abort();
        ThreadLeaks.awaitNoneStartedSince(before, LEAK_TIMEOUT);
        assertTrue(worker.awaitTermination(Duration.ZERO));
    }

    @Test
    void closeAbortsTasksThatOutliveTheShutdownTimeout() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        ExecutionLog log = new ExecutionLog();
        cluster.assign("life-6", Cluster.assignment("life-6", "stuck"));
        Set<Thread> before = ThreadLeaks.snapshot();
        Worker worker = cluster.worker("life-6", blocking(entered, never)).listener(log)
                .shutdownTimeout(Duration.ofMillis(300)).build();
        worker.start();
        assertTrue(entered.await(15, TimeUnit.SECONDS));
        worker.close();
        assertEquals(Worker.State.TERMINATED, worker.state());
        ThreadLeaks.awaitNoneStartedSince(before, LEAK_TIMEOUT);
        assertEquals(List.<ExecutionEvent>of(), log.events(), "a forced close publishes nothing for the stuck task");
        assertEquals(-1, cluster.committed("life-6"));
    }

    @Test
    void withoutAWaitStartFailsAtOnceAndClearlyWhenTheSharedTopicsAreMissing(EmbeddedKafka kafka) {
        Worker worker = Worker.builder().workerId("life-7").bootstrapServers(kafka.bootstrapServers())
                .serdeConfig(Cluster.SERDE).topics(new Topics("nothing-here")).handler(ctx -> null)
                .startWaitTimeout(Duration.ZERO).build();
        long begin = System.nanoTime();
        WorkerStartException e = assertThrows(WorkerStartException.class, worker::start);
        assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(5)) < 0,
                "Duration.ZERO means no waiting");
        assertTrue(e.getMessage().startsWith("worker life-7: the shared topics [nothing-here.heartbeats,"
                + " nothing-here.results] must exist before workers start"), e.getMessage());
        assertEquals(Worker.State.TERMINATED, worker.state());
    }

    /** A handler that signals it started and then waits for {@code release} (up to 30 s). */
    private static TaskHandler blocking(CountDownLatch entered, CountDownLatch release) {
        return ctx -> {
            entered.countDown();
            release.await(30, TimeUnit.SECONDS);
            return null;
        };
    }
}
