package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * The world the bad-input tests send into: a dispatcher topology (at-least-once, so that the dead letters
 * of its deserialization handler reach the test driver's output) with one healthy worker {@code w1} that
 * alone carries the label {@code pool=good}, raw and typed inputs on every topic the dispatcher reads, and
 * what came out: dead letters, w1's assignments, the counts and the log lines.
 */
final class BadInputBench implements AutoCloseable {
    static final String WORKER = "w1";
    static final Map<String, String> POOL = Map.of("pool", "good");

    final CountingMetrics metrics = new CountingMetrics();
    final LogLines logs = new LogLines();
    final DispatcherFixture f = new DispatcherFixture(metrics, StreamsConfig.AT_LEAST_ONCE);
    final TestInputTopic<String, byte[]> rawResults = raw(f.topics.results());
    final TestInputTopic<String, byte[]> rawHeartbeats = raw(f.topics.heartbeats());
    private final TestOutputTopic<String, TaskAssignment> w1 = f.workerTopic(WORKER);
    private final List<TaskAssignment> assigned = new ArrayList<>();
    private int good;

    BadInputBench() {
        beat();
        f.advance(DispatcherFixture.TICK);
        f.advance(DispatcherFixture.TICK);
    }

    private TestInputTopic<String, byte[]> raw(String topic) {
        return f.driver.createInputTopic(topic, Serdes.String().serializer(), Serdes.ByteArray().serializer());
    }

    /** A valid task that only w1 can take. */
    static Task.Builder task(String id) {
        return Task.newBuilder().setId(id).setType("echo").setRequiredLabels(POOL)
                .setPayload(ByteBuffer.wrap(new byte[] {1}));
    }

    /** w1's heartbeat: ready, large capacity, incarnation 7. */
    void beat() {
        f.heartbeat(WORKER, POOL, WorkerStatus.READY, 7L, 100_000, 0);
    }

    /** The wire bytes of {@code record} as a producer with the same registry would write them to {@code topic}. */
    <T extends SpecificRecord> byte[] encode(String topic, T record) {
        @SuppressWarnings("unchecked")
        Class<T> type = (Class<T>) record.getClass();
        return AvroSerdes.serde(type, f.serdes).serializer().serialize(topic, record);
    }

    byte[] encodeTask(Task task) {
        return encode(f.topics.tasks(), task);
    }

    void submit(Task task) {
        f.submit(task);
    }

    void rawTask(String key, byte[] value) {
        f.rawTasks.pipeInput(key, value, f.now());
    }

    void heartbeat(String key, WorkerHeartbeat heartbeat) {
        f.heartbeats.pipeInput(key, heartbeat, f.now());
    }

    /** A heartbeat that passes every rule, for cases to spoil one field. */
    WorkerHeartbeat.Builder heartbeatOf(String workerId) {
        return WorkerHeartbeat.newBuilder().setWorkerId(workerId).setIncarnation(1).setStatus(WorkerStatus.READY)
                .setCapacity(4).setSentAt(f.now());
    }

    /** A result from {@code workerId}, keyed by {@code routingKey}. */
    void result(String routingKey, String taskId, String workerId, int attempt, ResultStatus status, String error) {
        f.results.pipeInput(routingKey, TaskResult.newBuilder().setTaskId(taskId).setWorkerId(workerId)
                .setWorkerIncarnation(7L).setAttempt(attempt).setStatus(status).setError(error)
                .setStartedAt(f.now()).setCompletedAt(f.now()).setDurationMs(1).build(), f.now());
    }

    /** w1's assignments so far, in order, including those that arrived since the last call. */
    List<TaskAssignment> assigned() {
        assigned.addAll(w1.readValuesToList());
        return assigned;
    }

    /** The last assignment of {@code taskId} to w1. */
    TaskAssignment assignmentOf(String taskId) {
        List<TaskAssignment> all = assigned();
        for (int i = all.size() - 1; i >= 0; i--) {
            if (all.get(i).getTask().getId().equals(taskId)) {
                return all.get(i);
            }
        }
        throw new AssertionError("task " + taskId + " was never assigned to " + WORKER);
    }

    /** Sends the next good task (after w1's heartbeat and a tick) and returns its ID. */
    String goodTask() {
        beat();
        f.advance(DispatcherFixture.TICK);
        String id = "good-" + (++good);
        submit(task(id).build());
        return id;
    }

    List<DeadLetter> deadLetters() {
        return f.deadLetters.readValuesToList();
    }

    @Override
    public void close() {
        logs.close();
        f.close();
    }
}
