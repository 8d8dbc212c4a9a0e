package io.kdispatch.schemas.serde;

import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.LabelOperator;
import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** One fully populated instance of each record type, with every optional field set. */
final class Samples {
    static final Instant T0 = Instant.ofEpochMilli(1_700_000_000_123L);

    private Samples() {
    }

    static Task task() {
        return Task.newBuilder()
                .setId("task-1")
                .setType("resize-image")
                .setPayload(ByteBuffer.wrap("{\"w\":100}".getBytes(StandardCharsets.UTF_8)))
                .setPriority(7)
                .setRequiredLabels(Map.of("gpu", "a100"))
                .setLabelRequirements(List.of(LabelRequirement.newBuilder()
                        .setKey("zone").setOperator(LabelOperator.IN).setValues(List.of("eu-1", "eu-2")).build()))
                .setPreferredLabels(Map.of("rack", "r1"))
                .setAffinityKey("customer-42")
                .setAntiAffinityGroup("replicas-of-x")
                .setMaxAttempts(5)
                .setDeadline(T0.plusSeconds(60))
                .setSubmittedAt(T0)
                .setHeaders(Map.of("traceparent", "00-abc-def-01"))
                .build();
    }

    static TaskAssignment assignment() {
        return TaskAssignment.newBuilder()
                .setTask(task())
                .setWorkerId("worker-a")
                .setAttempt(2)
                .setRoutingKey("task-1")
                .setAssignedAt(T0)
                .setLeaseDeadline(T0.plusSeconds(30))
                .setWorkerIncarnation(99L)
                .setStrategy("least-loaded")
                .setReplay(true)
                .build();
    }

    static TaskResult result() {
        return TaskResult.newBuilder()
                .setTaskId("task-1")
                .setWorkerId("worker-a")
                .setWorkerIncarnation(99L)
                .setAttempt(2)
                .setStatus(ResultStatus.SUCCEEDED)
                .setError(null)
                .setOutput(ByteBuffer.wrap(new byte[] {1, 2, 3}))
                .setStartedAt(T0)
                .setCompletedAt(T0.plusMillis(1500))
                .setDurationMs(1500L)
                .setSubmittedAt(T0.minusMillis(10))
                .setHeaders(Map.of("k", "v"))
                .build();
    }

    static WorkerHeartbeat heartbeat() {
        return WorkerHeartbeat.newBuilder()
                .setWorkerId("worker-a")
                .setIncarnation(99L)
                .setStatus(WorkerStatus.DRAINING)
                .setLabels(Map.of("gpu", "a100", "zone", "eu-1"))
                .setCapacity(8)
                .setInFlight(3)
                .setQueued(1)
                .setWeight(2.5)
                .setHeartbeatIntervalMs(500)
                .setSentAt(T0)
                .setSdkVersion("0.1.0")
                .build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder()
                .setTaskId("task-1")
                .setReason(DeadLetterReason.MAX_ATTEMPTS)
                .setDetail("5 attempts failed")
                .setAttempts(List.of(AttemptRecord.newBuilder()
                        .setAttempt(1).setWorkerId("worker-a").setOutcome("FAILED").setError("boom").setAt(T0)
                        .build()))
                .setTask(task())
                .setOriginalKey(ByteBuffer.wrap("task-1".getBytes(StandardCharsets.UTF_8)))
                .setOriginalValue(ByteBuffer.wrap(new byte[] {0, 0, 0, 0, 1}))
                .setSourceTopic("dispatch.tasks")
                .setSourcePartition(3)
                .setSourceOffset(12345L)
                .setDeadLetteredAt(T0)
                .build();
    }
}
