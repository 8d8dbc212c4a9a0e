package io.kdispatch.dispatcher.topology;

import static io.kdispatch.dispatcher.topology.DispatcherFixture.task;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskRules;
import io.kdispatch.schemas.WorkerStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DispatcherTopologyTest {
    private DispatcherFixture f = new DispatcherFixture();

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void routesATaskToALiveWorkerAndClosesItOnSuccess() {
        f.workers("w1");
        var w1 = f.workerTopic("w1");

        f.submit(task("t-1").build());

        TaskAssignment a = w1.readValue();
        assertThat(a.getTask().getId()).isEqualTo("t-1");
        assertThat(a.getWorkerId()).isEqualTo("w1");
        assertThat(a.getAttempt()).isEqualTo(1);
        assertThat(a.getRoutingKey()).isEqualTo("t-1");
        assertThat(a.getWorkerIncarnation()).isEqualTo(7L);
        assertThat(f.attempts().get("t-1")).isNotNull();

        f.result(a, ResultStatus.SUCCEEDED);
        assertThat(f.attempts().get("t-1")).isNull();
        assertThat(f.deadLetters.isEmpty()).isTrue();
    }

    @Test
    void tasksWithTheSameAffinityKeyGoToTheSameWorker() {
        // A bounded-load factor of 10 never spills here: this test is about plain key affinity.
        f.close();
        f = new DispatcherFixture(new RoutingConfig(Strategy.CONSISTENT_HASH, null, 0, 10.0, 2));
        f.workers("w1", "w2", "w3");
        for (int i = 0; i < 60; i++) {
            f.submit(task("t-" + i).setAffinityKey("key-" + (i % 6)).build());
        }
        Map<String, Set<String>> workersByKey = new java.util.HashMap<>();
        for (String w : List.of("w1", "w2", "w3")) {
            for (TaskAssignment a : f.workerTopic(w).readValuesToList()) {
                workersByKey.computeIfAbsent(a.getTask().getAffinityKey(), k -> new HashSet<>()).add(w);
            }
        }
        assertThat(workersByKey).hasSize(6);
        assertThat(workersByKey.values()).allSatisfy(ws -> assertThat(ws).hasSize(1));
    }

    @Test
    void parksWhenNoWorkerIsLiveAndDispatchesWhenOneAppears() {
        f.submit(task("t-1").build());
        f.advance(Duration.ofSeconds(1));
        assertThat(f.waiting()).isEqualTo(1);
        assertThat(f.deadLetters.isEmpty()).isTrue();

        f.workers("w1");

        assertThat(f.workerTopic("w1").readValue().getTask().getId()).isEqualTo("t-1");
        assertThat(f.waiting()).isZero();
    }

    @Test
    void parkedTasksLeaveInPriorityOrderThenArrivalOrder() {
        f.submit(task("low-1").setPriority(1).build());
        f.advance(Duration.ofMillis(5));
        f.submit(task("high-1").setPriority(9).build());
        f.advance(Duration.ofMillis(5));
        f.submit(task("low-2").setPriority(1).build());
        f.advance(Duration.ofMillis(5));
        f.submit(task("high-2").setPriority(9).build());

        f.workers("w1");

        List<String> order = f.workerTopic("w1").readValuesToList().stream()
                .map(a -> a.getTask().getId()).toList();
        assertThat(order).containsExactly("high-1", "high-2", "low-1", "low-2");
    }

    @Test
    void hardLabelRequirementsAreHonouredAndUnmetOnesPark() {
        f.heartbeat("cpu", Map.of("gpu", "false"));
        f.heartbeat("gpu", Map.of("gpu", "true"));
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 20; i++) {
            f.submit(task("g-" + i).setRequiredLabels(Map.of("gpu", "true")).build());
        }
        f.submit(task("tpu").setRequiredLabels(Map.of("tpu", "v5")).build());

        assertThat(f.workerTopic("gpu").readValuesToList()).hasSize(20);
        assertThat(f.workerTopic("cpu").isEmpty()).isTrue();
        assertThat(f.waiting()).isEqualTo(1);
    }

    @Test
    void aFailedAttemptIsRetriedElsewhereThenDeadLetteredAfterMaxAttempts() {
        f.workers("w1", "w2");
        f.submit(task("t-1").setMaxAttempts(2).build());
        TaskAssignment first = firstAssignment();

        f.result(first, ResultStatus.FAILED);
        assertThat(f.workerTopic("w1").isEmpty() && f.workerTopic("w2").isEmpty())
                .as("the retry waits for its backoff").isTrue();
        f.advance(Duration.ofSeconds(1));
        TaskAssignment second = firstAssignment();
        assertThat(second.getAttempt()).isEqualTo(2);
        assertThat(second.getWorkerId()).isNotEqualTo(first.getWorkerId());

        f.result(second, ResultStatus.FAILED);
        DeadLetter dl = f.deadLetters.readValue();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.MAX_ATTEMPTS);
        assertThat(dl.getTaskId()).isEqualTo("t-1");
        assertThat(dl.getTask().getId()).isEqualTo("t-1");
        assertThat(dl.getAttempts()).extracting(r -> r.getWorkerId())
                .containsExactly(first.getWorkerId(), second.getWorkerId());
        assertThat(dl.getAttempts()).extracting(r -> r.getError()).containsExactly("boom", "boom");
        assertThat(f.attempts().get("t-1")).isNull();
    }

    @Test
    void staleResultsAreIgnored() {
        f.workers("w1", "w2");
        f.submit(task("t-1").build());
        TaskAssignment first = firstAssignment();
        f.result(first, ResultStatus.FAILED);
        f.advance(Duration.ofSeconds(1));
        TaskAssignment second = firstAssignment();

        f.result(first, ResultStatus.SUCCEEDED); // late result of the old attempt
        assertThat(f.attempts().get("t-1").getAttempt()).isEqualTo(second.getAttempt());

        f.result(second, ResultStatus.SUCCEEDED);
        assertThat(f.attempts().get("t-1")).isNull();
    }

    @Test
    void aSilentWorkerGetsNoNewTasksAndItsTasksMoveWhenItIsDead() {
        f.workers("w1", "w2");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add("t-" + i);
            f.submit(task("t-" + i).build());
        }
        var w1 = f.workerTopic("w1");
        var w2 = f.workerTopic("w2");
        List<TaskAssignment> onW1 = w1.readValuesToList();
        assertThat(onW1).isNotEmpty();
        w2.readValuesToList();

        // w2 keeps heartbeating, w1 falls silent.
        for (int s = 0; s < 3; s++) {
            f.advance(Duration.ofSeconds(1));
            f.heartbeat("w2", Map.of());
        }
        f.submit(task("after-suspect").build());
        assertThat(w1.isEmpty()).isTrue();
        assertThat(w2.readValue().getTask().getId()).isEqualTo("after-suspect");

        for (int s = 0; s < 3; s++) {
            f.advance(Duration.ofSeconds(1));
            f.heartbeat("w2", Map.of());
        }
        f.advance(DispatcherFixture.TICK);
        List<TaskAssignment> moved = w2.readValuesToList();
        assertThat(moved).extracting(a -> a.getTask().getId())
                .containsExactlyInAnyOrderElementsOf(onW1.stream().map(a -> a.getTask().getId()).toList());
        assertThat(moved).allSatisfy(a -> assertThat(a.getAttempt()).isEqualTo(2));
        assertThat(w1.isEmpty()).isTrue();
    }

    @Test
    void aDrainingOrDepartedWorkerGetsNoNewTasks() {
        f.workers("w1", "w2");
        f.heartbeat("w1", Map.of(), WorkerStatus.DRAINING, 7L);
        f.heartbeat("w2", Map.of(), WorkerStatus.LEAVING, 7L);
        f.advance(DispatcherFixture.TICK);
        f.submit(task("t-1").build());
        assertThat(f.workerTopic("w1").isEmpty()).isTrue();
        assertThat(f.workerTopic("w2").isEmpty()).isTrue();
        assertThat(f.waiting()).isEqualTo(1);
    }

    @Test
    void malformedBytesAreDeadLetteredWithTheirOriginalBytesAndProcessingGoesOn() {
        f.close();
        f = new DispatcherFixture(DispatchMetrics.NOOP, StreamsConfig.AT_LEAST_ONCE);
        f.workers("w1");
        byte[] garbage = "{\"id\":\"json-is-not-avro\"}".getBytes(StandardCharsets.UTF_8);
        f.rawTasks.pipeInput("bad-1", garbage);
        f.submit(task("good-1").build());

        DeadLetter dl = f.deadLetters.readValue();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.MALFORMED);
        assertThat(dl.getTaskId()).isEqualTo("bad-1");
        assertThat(dl.getDetail()).contains("magic byte");
        assertThat(dl.getOriginalValue().array()).isEqualTo(garbage);
        assertThat(dl.getSourceTopic()).isEqualTo(f.topics.tasks());
        assertThat(f.workerTopic("w1").readValue().getTask().getId()).isEqualTo("good-1");
    }

    @Test
    void anUnknownSchemaIdIsDeadLettered() {
        f.close();
        f = new DispatcherFixture(DispatchMetrics.NOOP, StreamsConfig.AT_LEAST_ONCE);
        f.workers("w1");
        byte[] unknownId = {0, 0, 0, 0x7f, 0x11, 2, 3};
        f.rawTasks.pipeInput("bad-2", unknownId);

        DeadLetter dl = f.deadLetters.readValue();
        assertThat(dl.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(dl.getOriginalValue().array()).isEqualTo(unknownId);
    }

    @Test
    void invalidTasksAndExpiredDeadlinesAreDeadLetteredWithAReason() {
        f.workers("w1");
        Task noAttempts = task("t-0").setMaxAttempts(0).build();
        f.submit(noAttempts);
        f.tasks.pipeInput("other-key", task("t-1").build(), f.now());
        f.submit(task("t-2").setDeadline(f.now().minusSeconds(1)).build());

        List<DeadLetter> dls = f.deadLetters.readValuesToList();
        assertThat(dls).extracting(DeadLetter::getReason).containsExactly(DeadLetterReason.INVALID_TASK,
                DeadLetterReason.INVALID_TASK, DeadLetterReason.DEADLINE_EXPIRED);
        assertThat(dls.get(0).getDetail()).isEqualTo(TaskRules.problem(noAttempts))
                .contains("maxAttempts must be between 1 and 100, was 0");
        assertThat(dls.get(1).getDetail()).contains("differs from task id");
        assertThat(f.workerTopic("w1").isEmpty()).isTrue();
    }

    /**
     * Intake records take the time they are read, not their producer's timestamp: Kafka Streams processes a
     * task's buffered records in timestamp order, so a backlog of old tasks would otherwise go before every
     * result (and the room it frees) until the whole backlog was read. The dead letter of an invalid task shows
     * the timestamp its intake record was processed with.
     */
    @Test
    void intakeRecordsAreProcessedWithTheTimeTheyAreReadNotTheirProducersTimestamp() {
        long readFrom = System.currentTimeMillis();
        f.tasks.pipeInput("t-old", task("t-old").setMaxAttempts(0).build(), Instant.ofEpochMilli(1_000));

        var deadLetter = f.deadLetters.readRecord();
        assertThat(deadLetter.value().getReason()).isEqualTo(DeadLetterReason.INVALID_TASK);
        assertThat(deadLetter.timestamp()).as("the dead letter's record timestamp").isGreaterThanOrEqualTo(readFrom);
    }

    @Test
    void theSharedTaskRulesDeadLetterWithTheMessageTheSubmitClientGives() {
        f.workers("w1");
        Map<String, String> labels = new java.util.HashMap<>();
        for (int i = 0; i <= TaskRules.MAX_LABEL_RULES; i++) {
            labels.put("k" + i, "v");
        }
        Task longId = task("x".repeat(TaskRules.MAX_ID_LENGTH + 1)).build();
        Task tooManyRules = task("t-rules").setRequiredLabels(labels).build();
        f.submitAll(longId, tooManyRules);

        List<DeadLetter> dls = f.deadLetters.readValuesToList();
        assertThat(dls).extracting(DeadLetter::getReason).containsOnly(DeadLetterReason.INVALID_TASK);
        assertThat(dls).extracting(DeadLetter::getDetail).containsExactly(
                "task id is 513 characters long, over the limit of 512", TaskRules.problem(tooManyRules));
        assertThat(dls.get(1).getDetail()).contains("has 65 label rules");
        assertThat(f.workerTopic("w1").isEmpty()).isTrue();
    }

    @Test
    void heartbeatsWithAnInvalidWorkerIdAreRejected() {
        f.heartbeat("../../etc", Map.of());
        f.heartbeat("w1", Map.of());
        f.advance(DispatcherFixture.TICK);
        for (int i = 0; i < 10; i++) {
            f.submit(task("t-" + i).build());
        }
        assertThat(f.workerTopic("w1").readValuesToList()).hasSize(10);
    }

    private TaskAssignment firstAssignment() {
        for (String w : List.of("w1", "w2")) {
            TestOutputTopic<String, TaskAssignment> topic = f.workerTopic(w);
            if (!topic.isEmpty()) {
                return topic.readValue();
            }
        }
        throw new AssertionError("no assignment on any worker topic");
    }
}
