package io.kdispatch.sdk.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.junit.EmbeddedKafkaExtension;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.sdk.Worker;
import io.kdispatch.sdk.testing.ExecutionLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A worker on a real broker: what it runs, what it publishes, and what it refuses to run. */
@ExtendWith(EmbeddedKafkaExtension.class)
class WorkerExecutionTest {
    private Cluster cluster;

    @BeforeEach
    void setUp(EmbeddedKafka kafka) throws Exception {
        cluster = new Cluster(kafka);
    }

    @Test
    void publishesOneResultPerAssignmentKeyedByRoutingKey() throws Exception {
        ExecutionLog log = new ExecutionLog();
        try (Worker worker = cluster.worker("exec-1", ctx -> {
                    if (ctx.taskId().equals("task-bad")) {
                        throw new IllegalArgumentException("cannot handle " + ctx.type());
                    }
                    return ("done:" + new String(ctx.payload(), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                }).listener(log).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            List<String> ids = List.of("task-1", "task-2", "task-3", "task-bad");
            cluster.assign("exec-1", ids.stream().map(id -> Cluster.assignment("exec-1", id))
                    .toArray(TaskAssignment[]::new));

            List<ConsumerRecord<String, TaskResult>> records = results.awaitCount(ids.size());
            Map<String, ConsumerRecord<String, TaskResult>> byTask = records.stream()
                    .collect(Collectors.toMap(r -> r.value().getTaskId(), Function.identity()));
            assertEquals(Set.copyOf(ids), byTask.keySet(), "one result per assignment");
            for (ConsumerRecord<String, TaskResult> record : records) {
                TaskResult result = record.value();
                assertEquals(Cluster.routingKey(result.getTaskId()), record.key(), "keyed by routing key");
                assertEquals("exec-1", result.getWorkerId());
                assertEquals(worker.incarnation(), result.getWorkerIncarnation());
                assertEquals(1, result.getAttempt());
                assertEquals("trace-" + result.getTaskId(), result.getHeaders().get("trace"));
                assertTrue(result.getSubmittedAt() != null && !result.getCompletedAt().isBefore(result.getStartedAt()));
            }
            TaskResult ok = byTask.get("task-2").value();
            assertEquals(ResultStatus.SUCCEEDED, ok.getStatus());
            assertEquals("done:task-2", StandardCharsets.UTF_8.decode(ok.getOutput()).toString());
            assertNull(ok.getError());
            TaskResult failed = byTask.get("task-bad").value();
            assertEquals(ResultStatus.FAILED, failed.getStatus());
            assertEquals("cannot handle test", failed.getError());

            await().atMost(Duration.ofSeconds(10)).until(() -> log.count() == ids.size());
            assertEquals(1, log.count(ResultStatus.FAILED));
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed("exec-1") == ids.size());
        }
    }

    @Test
    void neverRunsMoreThanCapacityAtOnce() throws Exception {
        int capacity = 3;
        int tasks = 10;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger highWater = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        ExecutionLog log = new ExecutionLog();
        try (Worker worker = cluster.worker("exec-2", ctx -> {
                    highWater.accumulateAndGet(running.incrementAndGet(), Math::max);
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } finally {
                        running.decrementAndGet();
                    }
                    return null;
                }).capacity(capacity).listener(log)
                // fetch far more than the capacity at once: only the slot count may hold them back
                .kafkaProperties(Map.of("max.poll.records", 50)).build()) {
            worker.start();
            TaskAssignment[] assignments = new TaskAssignment[tasks];
            for (int i = 0; i < tasks; i++) {
                assignments[i] = Cluster.assignment("exec-2", "task-" + i);
            }
            cluster.assign("exec-2", assignments);

            await().atMost(Duration.ofSeconds(15)).until(() -> running.get() == capacity);
            assertEquals(capacity, worker.inFlight());
            release.countDown();
            await().atMost(Duration.ofSeconds(15)).until(() -> log.count() == tasks);
            assertEquals(capacity, highWater.get(), "high-water mark of concurrent handler calls");
            assertEquals(tasks, log.groupedByTask().size());
        }
    }

    @Test
    void poisonRecordIsSkippedAndLaterTasksStillRun() throws Exception {
        ExecutionLog log = new ExecutionLog();
        try (Worker worker = cluster.worker("exec-3", ctx -> null).listener(log).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            cluster.writeRaw("exec-3", "garbage", new byte[] {0, 0, 0, 0, 7, 42, 42});
            cluster.writeRaw("exec-3", "short", new byte[] {1, 2});
            cluster.assign("exec-3", Cluster.assignment("exec-3", "after-poison"));

            List<ConsumerRecord<String, TaskResult>> records = results.awaitCount(1);
            assertEquals("after-poison", records.get(0).value().getTaskId());
            assertEquals(ResultStatus.SUCCEEDED, records.get(0).value().getStatus());
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed("exec-3") == 3);
            assertEquals(1, log.count(), "the poison records ran nothing");
        }
    }

    @Test
    void assignmentForAnotherWorkerIsSkippedAndExpiredDeadlineFailsWithoutRunning() throws Exception {
        Set<String> ran = ConcurrentHashMap.newKeySet();
        try (Worker worker = cluster.worker("exec-4", ctx -> {
                    ran.add(ctx.taskId());
                    return null;
                }).build();
             TopicReader<TaskResult> results = cluster.results()) {
            worker.start();
            TaskAssignment expired = Cluster.assignment("exec-4", "expired");
            expired.getTask().setDeadline(Instant.now().minusSeconds(60));
            cluster.assign("exec-4",
                    Cluster.assignment("someone-else", "misrouted"),
                    expired,
                    Cluster.assignment("exec-4", "fine"));

            List<ConsumerRecord<String, TaskResult>> records = results.awaitCount(2);
            Map<String, TaskResult> byTask = records.stream()
                    .collect(Collectors.toMap(r -> r.value().getTaskId(), ConsumerRecord::value));
            assertEquals(Set.of("expired", "fine"), byTask.keySet(), "the misrouted one is skipped, not answered");
            assertEquals(ResultStatus.FAILED, byTask.get("expired").getStatus());
            assertTrue(byTask.get("expired").getError().contains("deadline"), byTask.get("expired").getError());
            assertEquals(ResultStatus.SUCCEEDED, byTask.get("fine").getStatus());
            assertEquals(Set.of("fine"), ran);
            await().atMost(Duration.ofSeconds(10)).until(() -> cluster.committed("exec-4") == 3);
            assertFalse(ran.contains("misrouted"));
        }
    }
}
