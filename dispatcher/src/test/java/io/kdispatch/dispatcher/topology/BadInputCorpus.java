package io.kdispatch.dispatcher.topology;

import static io.kdispatch.dispatcher.topology.BadInputBench.task;

import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.LabelOperator;
import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The bad-input corpus (issue 11, item 4): one named case per kind of bad input the dispatcher reads on
 * its intake, results and heartbeat topics, each building its bytes or record and sending it through a
 * {@link BadInputBench}, with the one outcome it must have: a dead letter with a reason, a counted and
 * logged rejection, or acceptance where the input is odd but legal (said why).
 */
enum BadInputCorpus {
    TRUNCATED_AVRO("truncated Avro", dead(DeadLetterReason.MALFORMED, "could not decode the Avro body"),
            b -> b.rawTask("trunc-1", Arrays.copyOf(b.encodeTask(task("trunc-1").build()), 12))),
    HEADER_ONLY("truncated Avro", dead(DeadLetterReason.MALFORMED, "could not decode the Avro body"),
            b -> b.rawTask("trunc-2", Arrays.copyOf(b.encodeTask(task("trunc-2").build()), 5))),
    EMPTY_VALUE("truncated Avro", dead(DeadLetterReason.MALFORMED, "too short"), b -> b.rawTask("trunc-3", new byte[0])),
    TOMBSTONE("truncated Avro", dead(DeadLetterReason.MALFORMED, "no value"), b -> b.rawTask("trunc-4", null)),
    HUGE_LENGTH_PREFIX("truncated Avro", dead(DeadLetterReason.MALFORMED, "a corrupt length prefix"), b -> {
        byte[] valid = b.encodeTask(task("trunc-5").build());
        byte[] bad = Arrays.copyOf(valid, 16); // header, then id "a", type "b" and a payload length of 10^9
        System.arraycopy(new byte[] {2, 'a', 2, 'b', (byte) 0x80, (byte) 0xa8, (byte) 0xd6, (byte) 0xb9, 0x07}, 0,
                bad, 5, 9);
        b.rawTask("trunc-5", Arrays.copyOf(bad, 14));
    }),
    WRONG_MAGIC_BYTE("wrong magic byte", dead(DeadLetterReason.MALFORMED, "unknown magic byte 0x01"), b -> {
        byte[] bytes = b.encodeTask(task("magic-1").build());
        bytes[0] = 1;
        b.rawTask("magic-1", bytes);
    }),
    PLAIN_JSON("wrong magic byte", dead(DeadLetterReason.MALFORMED, "is this plain JSON?"),
            b -> b.rawTask("magic-2", "{\"id\":\"magic-2\"}".getBytes(StandardCharsets.UTF_8))),
    RESULT_SCHEMA_ON_INTAKE("schema of another record type", dead(DeadLetterReason.UNKNOWN_SCHEMA, "cannot be read as"),
            b -> b.rawTask("other-1", b.encode(b.f.topics.results(), result("other-1", "w1", 1)))),
    HEARTBEAT_SCHEMA_ON_INTAKE("schema of another record type",
            dead(DeadLetterReason.UNKNOWN_SCHEMA, "cannot be read as"),
            b -> b.rawTask("other-2", b.encode(b.f.topics.heartbeats(), b.heartbeatOf("w9").build()))),
    UNREGISTERED_SCHEMA_ID("schema of another record type", dead(DeadLetterReason.UNKNOWN_SCHEMA, "not in the registry"),
            b -> b.rawTask("other-3", new byte[] {0, 0, 0, 0x30, 0x39, 2, 'a'})),
    PRIORITY_MIN_INT("absurd values", dead(DeadLetterReason.INVALID_TASK, "priority must be between"),
            b -> b.submit(task("abs-1").setPriority(Integer.MIN_VALUE).build())),
    NEGATIVE_PRIORITY("absurd values", accepted("abs-2", "legal: runs after priority 0"),
            b -> b.submit(task("abs-2").setPriority(-5).build())),
    PAYLOAD_10MB("absurd values", dead(DeadLetterReason.INVALID_TASK, "payload is 10485760 bytes"),
            b -> b.submit(task("abs-3").setPayload(ByteBuffer.wrap(new byte[10 * 1024 * 1024])).build())),
    REQUIRED_LABELS_100K("absurd values", dead(DeadLetterReason.INVALID_TASK, "has 100000 label rules"),
            b -> b.submit(task("abs-4").setRequiredLabels(labels(100_000)).build())),
    PREFERRED_LABELS_100K("absurd values", dead(DeadLetterReason.INVALID_TASK, "has 100000 preferredLabels"),
            b -> b.submit(task("abs-5").setPreferredLabels(labels(100_000)).build())),
    REQUIREMENT_VALUES_100K("absurd values", dead(DeadLetterReason.INVALID_TASK, "lists 100000 values"),
            b -> b.submit(task("abs-6").setLabelRequirements(List.of(new LabelRequirement("zone", LabelOperator.IN,
                    List.copyOf(labels(100_000).keySet())))).build())),
    DEADLINE_YEAR_9999("absurd values", accepted("abs-7", "legal: a far deadline, no overflow"),
            b -> b.submit(task("abs-7").setDeadline(Instant.parse("9999-12-31T23:59:59.999Z")).build())),
    DEADLINE_LONG_MIN("absurd values", dead(DeadLetterReason.DEADLINE_EXPIRED, "passed before dispatch"),
            b -> b.submit(task("abs-8").setDeadline(Instant.ofEpochMilli(Long.MIN_VALUE)).build())),
    ATTEMPTS_0("absurd values", dead(DeadLetterReason.INVALID_TASK, "maxAttempts must be between 1 and 100, was 0"),
            b -> b.submit(task("abs-9").setMaxAttempts(0).build())),
    ATTEMPTS_MIN_INT("absurd values", dead(DeadLetterReason.INVALID_TASK, "was -2147483648"),
            b -> b.submit(task("abs-10").setMaxAttempts(Integer.MIN_VALUE).build())),
    ID_PATH_SEPARATORS("hostile IDs", accepted(BadInputCorpus.PATH_ID, "legal: task IDs are keys, never topics or paths"),
            b -> b.submit(task(BadInputCorpus.PATH_ID).build())),
    ID_NEWLINE("hostile IDs", dead(DeadLetterReason.INVALID_TASK, "control character U+000A"),
            b -> b.submit(task("host-1\nINFO forged line").build())),
    ID_NUL_AND_ESCAPE("hostile IDs", dead(DeadLetterReason.INVALID_TASK, "control character U+0000"),
            b -> b.submit(task("\u0000\u001b[31m").build())),
    ID_10KB("hostile IDs", dead(DeadLetterReason.INVALID_TASK, "task id is 10240 characters long"),
            b -> b.submit(task("x".repeat(10 * 1024)).build())),
    ID_EMPTY("hostile IDs", dead(DeadLetterReason.INVALID_TASK, "task id must not be empty"),
            b -> b.f.tasks.pipeInput("host-2", task("").build(), b.f.now())),
    KEY_DIFFERS_FROM_ID("hostile IDs", dead(DeadLetterReason.INVALID_TASK, "differs from task id"),
            b -> b.f.tasks.pipeInput("../other\n", task("host-3").build(), b.f.now())),
    AFFINITY_KEY_CONTROL("hostile IDs", dead(DeadLetterReason.INVALID_TASK, "affinityKey has the control character"),
            b -> b.submit(task("host-4").setAffinityKey("k\r\n").build())),
    DUPLICATE_ID_OTHER_PAYLOAD("duplicate IDs", dead(DeadLetterReason.INVALID_TASK, "is live with different content"),
            b -> {
                b.submit(task("dup-1").build());
                b.submit(task("dup-1").setPayload(ByteBuffer.wrap(new byte[] {2})).setPriority(3).build());
            }),
    DUPLICATE_ID_SAME_TASK("duplicate IDs", accepted("dup-2", "legal: a resubmission, sent again to its worker"), b -> {
        b.submit(task("dup-2").build());
        b.submit(task("dup-2").setSubmittedAt(b.f.now()).build());
    }),
    RESULT_UNKNOWN_TASK("results for unknown tasks or attempts", rejected("results-stale", "Ignored a report"),
            b -> b.result("never-sent", "never-sent", "w1", 1, ResultStatus.SUCCEEDED, null)),
    RESULT_UNKNOWN_ATTEMPT("results for unknown tasks or attempts", rejected("results-stale", "is not the live one"),
            b -> {
                b.submit(task("res-1").build());
                b.result("res-1", "res-1", "w1", 99, ResultStatus.SUCCEEDED, null);
            }),
    RESULT_OTHER_WORKER("results for unknown tasks or attempts", rejected("results-stale", "sent to w1, not w2"),
            b -> {
                b.submit(task("res-2").build());
                b.result("res-2", "res-2", "w2", 1, ResultStatus.FAILED, "boom");
            }),
    RESULT_HOSTILE_WORKER_ID("results for unknown tasks or attempts", rejected("results-stale", "is invalid"),
            b -> b.result("res-3", "res-3\n", "../w\n" + "x".repeat(10_000), 1, ResultStatus.SUCCEEDED, null)),
    RESULT_TOMBSTONE("results for unknown tasks or attempts", rejected("results-stale", "tombstones mean nothing"),
            b -> b.rawResults.pipeInput("res-4", null, b.f.now())),
    RESULT_MALFORMED("results for unknown tasks or attempts", dead(DeadLetterReason.MALFORMED, "unknown magic byte"),
            b -> b.rawResults.pipeInput("res-5", new byte[] {7, 7, 7, 7, 7, 7}, b.f.now())),
    RESULT_1MB_ERROR("results for unknown tasks or attempts", dead(DeadLetterReason.MAX_ATTEMPTS, "(1000000 chars)"),
            b -> {
                b.submit(task("res-6").setMaxAttempts(1).build());
                b.result("res-6", "res-6", "w1", 1, ResultStatus.FAILED, "e".repeat(1_000_000));
            }),
    HEARTBEAT_CAPACITY_OVER_MAX("heartbeats", rejected("heartbeats-rejected", "capacity 1000000, outside 1-100000"),
            b -> b.heartbeat("hb-1", b.heartbeatOf("hb-1").setCapacity(1_000_000).build())),
    HEARTBEAT_CAPACITY_ZERO("heartbeats", rejected("heartbeats-rejected", "capacity 0"),
            b -> b.heartbeat("hb-2", b.heartbeatOf("hb-2").setCapacity(0).build())),
    HEARTBEAT_PATH_ID("heartbeats", rejected("heartbeats-rejected", "invalid worker ID '../../etc'"),
            b -> b.heartbeat("../../etc", b.heartbeatOf("../../etc").build())),
    HEARTBEAT_CONTROL_ID("heartbeats", rejected("heartbeats-rejected", "invalid worker ID 'hb\\u000a"),
            b -> b.heartbeat("hb\n", b.heartbeatOf("hb\n").build())),
    HEARTBEAT_10KB_ID("heartbeats", rejected("heartbeats-rejected", "(10240 chars)"),
            b -> b.heartbeat("w".repeat(10_240), b.heartbeatOf("w".repeat(10_240)).build())),
    HEARTBEAT_KEY_MISMATCH("heartbeats", rejected("heartbeats-rejected", "differs from worker ID"),
            b -> b.heartbeat("hb-3", b.heartbeatOf("hb-4").build())),
    HEARTBEAT_100K_LABELS("heartbeats", rejected("heartbeats-rejected", "carries 100000 labels"),
            b -> b.heartbeat("hb-5", b.heartbeatOf("hb-5").setLabels(labels(100_000)).build())),
    HEARTBEAT_ABSURD_LOAD("heartbeats", rejected("heartbeats-rejected", "in flight"),
            b -> b.heartbeat("hb-6", b.heartbeatOf("hb-6").setInFlight(Integer.MAX_VALUE)
                    .setQueued(Integer.MAX_VALUE).build())),
    HEARTBEAT_NEGATIVE_UNREAD("heartbeats", rejected("heartbeats-rejected", "reports negative load"),
            b -> b.heartbeat("hb-10", b.heartbeatOf("hb-10").setUnread(-1).build())),
    HEARTBEAT_ABSURD_MAX_QUEUED("heartbeats", rejected("heartbeats-rejected", "declares maxQueued 2147483647"),
            b -> b.heartbeat("hb-7", b.heartbeatOf("hb-7").setMaxQueued(Integer.MAX_VALUE).build())),
    HEARTBEAT_MALFORMED("heartbeats", rejected("heartbeats-rejected", "unreadable heartbeat (record of 3 bytes"),
            b -> b.rawHeartbeats.pipeInput("hb-8", new byte[] {9, 9, 9}, b.f.now())),
    HEARTBEAT_TASK_SCHEMA("heartbeats", rejected("heartbeats-rejected", "cannot be read as"),
            b -> b.rawHeartbeats.pipeInput("hb-9", b.encodeTask(task("hb-9").build()), b.f.now()));

    static final String PATH_ID = "../../etc/passwd\\..\\x";

    /** What one bad input must lead to. */
    sealed interface Expect {
    }

    /** Exactly one dead letter with {@code reason}, its detail containing {@code detail}, and counted. */
    record Dead(DeadLetterReason reason, String detail) implements Expect {
    }

    /** No dead letter; the count {@code counter} up by exactly one, and a log line containing {@code logged}. */
    record Rejected(String counter, String logged) implements Expect {
    }

    /** Odd but legal: task {@code taskId} dispatched to w1, neither dead-lettered nor rejected; {@code why}. */
    record Accepted(String taskId, String why) implements Expect {
    }

    final String kind;
    final Expect expect;
    private final Consumer<BadInputBench> send;

    BadInputCorpus(String kind, Expect expect, Consumer<BadInputBench> send) {
        this.kind = kind;
        this.expect = expect;
        this.send = send;
    }

    void send(BadInputBench bench) {
        send.accept(bench);
    }

    private static Expect dead(DeadLetterReason reason, String detail) {
        return new Dead(reason, detail);
    }

    private static Expect rejected(String counter, String logged) {
        return new Rejected(counter, logged);
    }

    private static Expect accepted(String taskId, String why) {
        return new Accepted(taskId, why);
    }

    static Map<String, String> labels(int n) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < n; i++) {
            labels.put("k" + i, "v");
        }
        return labels;
    }

    private static TaskResult result(String taskId, String workerId, int attempt) {
        return TaskResult.newBuilder().setTaskId(taskId).setWorkerId(workerId).setAttempt(attempt)
                .setStatus(ResultStatus.SUCCEEDED).setStartedAt(Instant.EPOCH).setCompletedAt(Instant.EPOCH)
                .setDurationMs(1).build();
    }
}
