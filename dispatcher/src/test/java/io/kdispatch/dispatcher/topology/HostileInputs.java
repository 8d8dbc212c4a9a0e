package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of hostile input for the intake, results and heartbeat topics: IDs with control
 * characters, path separators or 10 kB, random bytes after a valid magic byte and schema ID, random
 * truncations of a valid encoding, absurd numbers and large label sets (bounded so a try stays fast).
 */
final class HostileInputs {
    private HostileInputs() {
    }

    /** One input to send, and the class it counts under. */
    sealed interface Input {
        String kind();

        void send(BadInputBench bench);

        /** The same input with task IDs (not empty ones) prefixed by {@code prefix}, so tries never collide. */
        Input unique(String prefix);
    }

    record RawTask(String kind, String key, byte[] value) implements Input {
        @Override
        public void send(BadInputBench bench) {
            bench.rawTask(key, value);
        }

        @Override
        public Input unique(String prefix) {
            return new RawTask(kind, prefix + key, value);
        }

        @Override
        public String toString() {
            return kind + " key=" + key + " bytes=" + Arrays.toString(value);
        }
    }

    /** A task; {@code sameKey}: keyed by its (prefixed) ID, else by {@code key}. */
    record TypedTask(String kind, String key, boolean sameKey, Task task) implements Input {
        @Override
        public void send(BadInputBench bench) {
            bench.f.tasks.pipeInput(key, task, bench.f.now());
        }

        @Override
        public Input unique(String prefix) {
            String id = task.getId().isEmpty() ? "" : prefix + task.getId();
            return new TypedTask(kind, sameKey ? id : key, sameKey, Task.newBuilder(task).setId(id).build());
        }

        @Override
        public String toString() {
            return kind + " key=" + abbreviated(key) + " task=" + abbreviated(task.toString());
        }
    }

    record Heartbeat(String kind, String key, WorkerHeartbeat heartbeat) implements Input {
        @Override
        public void send(BadInputBench bench) {
            bench.heartbeat(key, heartbeat);
        }

        @Override
        public Input unique(String prefix) {
            return this;
        }

        @Override
        public String toString() {
            return kind + " key=" + abbreviated(key) + " heartbeat=" + abbreviated(heartbeat.toString());
        }
    }

    record Result(String kind, TaskResult result) implements Input {
        @Override
        public void send(BadInputBench bench) {
            bench.f.results.pipeInput(result.getTaskId(), result, bench.f.now());
        }

        @Override
        public Input unique(String prefix) {
            return new Result(kind, TaskResult.newBuilder(result).setTaskId("r-" + prefix + result.getTaskId()).build());
        }

        @Override
        public String toString() {
            return kind + " result=" + abbreviated(result.toString());
        }
    }

    /** Any hostile input; {@code valid} is a valid encoding of a task, to corrupt. */
    static Arbitrary<Input> any(byte[] valid) {
        return Arbitraries.frequencyOf(
                Tuple.of(2, randomBody(valid)),
                Tuple.of(2, truncated(valid)),
                Tuple.of(1, wrongMagic(valid)),
                Tuple.of(5, tasks()),
                Tuple.of(2, heartbeats()),
                Tuple.of(2, results()));
    }

    /** IDs as a hostile producer writes them: control characters, path separators, empty, or up to 10 kB. */
    static Arbitrary<String> hostileIds() {
        Arbitrary<String> nasty = Arbitraries.strings().withChars("/\\.:\n\r\t\u0000\u001b\u2028 ab01-_")
                .ofMinLength(1).ofMaxLength(24);
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcdef0123-_.").ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> huge = Arbitraries.integers().between(500, 10_240).map("x"::repeat);
        return Arbitraries.frequencyOf(Tuple.of(3, nasty), Tuple.of(6, plain),
                Tuple.of(1, huge), Tuple.of(1, Arbitraries.just("")));
    }

    private static Arbitrary<Input> randomBody(byte[] valid) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(body -> {
            byte[] value = Arrays.copyOf(valid, 5 + body.length); // the magic byte and the Task schema's ID
            System.arraycopy(body, 0, value, 5, body.length);
            return new RawTask("random bytes after a valid header", "raw", value);
        });
    }

    private static Arbitrary<Input> truncated(byte[] valid) {
        return Arbitraries.integers().between(0, valid.length - 1)
                .map(n -> new RawTask("truncated valid encoding", "trunc", Arrays.copyOf(valid, n)));
    }

    private static Arbitrary<Input> wrongMagic(byte[] valid) {
        return Arbitraries.integers().between(1, 255).map(magic -> {
            byte[] value = valid.clone();
            value[0] = (byte) (int) magic;
            return new RawTask("wrong magic byte", "magic", value);
        });
    }

    private static Arbitrary<Input> tasks() {
        Arbitrary<Integer> attempts = Arbitraries.frequencyOf(Tuple.of(4,
                Arbitraries.integers().between(1, 100)), Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Instant> deadline = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.longs().map(Instant::ofEpochMilli)),
                Tuple.of(1, Arbitraries.just(Instant.parse("9999-12-31T23:59:59Z")))).injectNull(0.6);
        Arbitrary<Integer> priority = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(-9, 9)),
                Tuple.of(1, Arbitraries.integers()));
        Arbitrary<Integer> payload = Arbitraries.frequencyOf(Tuple.of(9,
                Arbitraries.integers().between(0, 64)), Tuple.of(1, Arbitraries.just(600 * 1024)));
        Arbitrary<Map<String, String>> required = Arbitraries.frequencyOf(
                Tuple.of(5, Arbitraries.just(BadInputBench.POOL)),
                Tuple.of(1, Arbitraries.integers().between(65, 3_000).map(HostileInputs::labels)));
        Arbitrary<Map<String, String>> preferred = Arbitraries.integers().between(0, 200).map(HostileInputs::labels);
        Arbitrary<String> affinity = hostileIds().injectNull(0.75);
        Arbitrary<Task> task = Combinators.combine(hostileIds(), priority, attempts, deadline, payload,
                required, preferred, affinity).as((id, prio, max, until, size, req, pref, key) -> Task.newBuilder()
                .setId(id).setType("echo").setPriority(prio).setMaxAttempts(max).setDeadline(until)
                .setPayload(ByteBuffer.wrap(new byte[size])).setRequiredLabels(req).setPreferredLabels(pref)
                .setAffinityKey(key).build());
        return Combinators.combine(task, Arbitraries.integers().between(0, 9), hostileIds())
                .as((t, keyMode, otherKey) -> new TypedTask(kind(t), keyMode == 0 ? otherKey : t.getId(), keyMode != 0,
                        t));
    }

    private static String kind(Task t) {
        return t.getPreferredLabels().size() > 64 || t.getRequiredLabels().size() > 64 ? "task with a large label set"
                : "task with hostile ID or absurd numbers";
    }

    private static Arbitrary<Input> heartbeats() {
        Arbitrary<Integer> counts = Arbitraries.frequencyOf(Tuple.of(3,
                Arbitraries.integers().between(0, 8)), Tuple.of(1, Arbitraries.integers()));
        Arbitrary<WorkerHeartbeat> hb = Combinators.combine(hostileIds(), Arbitraries.integers(), counts, counts,
                Arbitraries.integers().between(-2, 2_000_000), Arbitraries.integers().between(0, 120))
                .as((id, capacity, inFlight, queued, maxQueued, labels) -> WorkerHeartbeat.newBuilder()
                        .setWorkerId("hb" + id).setIncarnation(1).setStatus(WorkerStatus.READY).setCapacity(capacity)
                        .setInFlight(inFlight).setQueued(queued).setMaxQueued(maxQueued).setLabels(labels(labels))
                        .setSentAt(Instant.EPOCH).build());
        return Combinators.combine(hb, Arbitraries.integers().between(0, 9)).as((h, keyMode) ->
                new Heartbeat("heartbeat with hostile values", keyMode == 0 ? "other" : h.getWorkerId(), h));
    }

    private static Arbitrary<Input> results() {
        return Combinators.combine(hostileIds(), Arbitraries.of("w1", "w2", "../w\n"), Arbitraries.integers(),
                Arbitraries.of(ResultStatus.values())).as((task, worker, attempt, status) -> new Result(
                "result for an unknown task or attempt", TaskResult.newBuilder().setTaskId(task).setWorkerId(worker)
                .setAttempt(attempt).setStatus(status).setStartedAt(Instant.EPOCH).setCompletedAt(Instant.EPOCH)
                .setDurationMs(1).build()));
    }

    static Map<String, String> labels(int n) {
        Map<String, String> labels = new HashMap<>();
        for (int i = 0; i < n; i++) {
            labels.put("k" + i, "v");
        }
        return labels;
    }

    private static String abbreviated(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "... (" + s.length() + " chars)" : s;
    }
}
