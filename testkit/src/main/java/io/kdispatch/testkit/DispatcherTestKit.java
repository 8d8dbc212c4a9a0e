package io.kdispatch.testkit;

import io.kdispatch.dispatcher.testing.TopologyHarness;
import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.RoutingExplanation;
import io.kdispatch.schemas.StoredAttempt;
import io.kdispatch.schemas.StoredAttemptState;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.TestOutputTopic;

/**
 * The real dispatcher topology on Kafka's {@code TopologyTestDriver}, with a clock the test drives: register
 * {@link FakeWorker}s by heartbeat, submit tasks, advance time, complete or fail what the workers hold, and
 * ask where each task went and why ({@link #fate}, {@link #explain}). No broker, no registry, no threads:
 * everything happens on the calling thread, in driven time, so the same test gives the same answer every run.
 *
 * <pre>{@code
 * try (DispatcherTestKit kit = DispatcherTestKit.create()) {
 *     FakeWorker gpu = kit.addWorker("gpu-1", Map.of("gpu", "a100"));
 *     kit.addWorker("cpu-1", Map.of());
 *     kit.submit(Task.newBuilder().setId("t-1").setType("render").setRequiredLabels(Map.of("gpu", "a100")).build());
 *     assertEquals(Optional.of("gpu-1"), kit.workerOf("t-1"));
 *     assertTrue(kit.explain("t-1").getExcluded().get("cpu-1").contains("label requirement"));
 *     gpu.complete("t-1");
 *     assertInstanceOf(TaskFate.Finished.class, kit.fate("t-1"));
 * }
 * }</pre>
 *
 * <p>Fake workers that are up heartbeat every {@link #HEARTBEAT_INTERVAL} of driven time, so
 * {@link #advance} keeps them alive; a {@link FakeWorker#crash() crashed} one falls silent and the dispatcher
 * declares it suspect, then dead (after 2 s and 5 s by default), and sends its tasks elsewhere.
 *
 * <p>Not thread-safe: one test thread drives the kit. Close it to release the driver's state.
 */
public final class DispatcherTestKit implements AutoCloseable {
    /** How often a fake worker that is up heartbeats, in driven time (the SDK's default). */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** Capacity of a fake worker added without one (the SDK's default). */
    public static final int DEFAULT_CAPACITY = 4;

    private final TopologyHarness harness;
    private final Clock clock = new DrivenClock();
    private final Map<String, FakeWorker> workers = new LinkedHashMap<>();
    private final Map<String, TestOutputTopic<String, TaskAssignment>> workerTopics = new HashMap<>();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private final List<RoutingExplanation> decisions = new ArrayList<>();
    private final Map<String, TaskResult> finished = new HashMap<>();
    private Instant nextBeat;

    DispatcherTestKit(TopologyHarness harness) {
        this.harness = harness;
        this.nextBeat = harness.now().plus(HEARTBEAT_INTERVAL);
    }

    /** A kit with the dispatcher's default configuration. */
    public static DispatcherTestKit create() {
        return builder().build();
    }

    /** Configures a kit: the dispatcher's own settings, the start time. */
    public static DispatcherTestKitBuilder builder() {
        return new DispatcherTestKitBuilder();
    }

    /** A worker with no labels and {@link #DEFAULT_CAPACITY}; see {@link #addWorker(String, Map, int)}. */
    public FakeWorker addWorker(String id) {
        return addWorker(id, Map.of(), DEFAULT_CAPACITY);
    }

    /** A worker with {@code labels} and {@link #DEFAULT_CAPACITY}; see {@link #addWorker(String, Map, int)}. */
    public FakeWorker addWorker(String id, Map<String, String> labels) {
        return addWorker(id, labels, DEFAULT_CAPACITY);
    }

    /**
     * Starts a fake worker: it heartbeats {@code READY} and one tick passes, so the dispatcher routes to it
     * from the next task on.
     *
     * @throws IllegalArgumentException when a worker with this ID was already added
     */
    public FakeWorker addWorker(String id, Map<String, String> labels, int capacity) {
        if (workers.containsKey(id)) {
            throw new IllegalArgumentException("worker " + id + " was already added");
        }
        FakeWorker worker = new FakeWorker(this, id, labels, capacity);
        workers.put(id, worker);
        worker.heartbeat();
        advance(harness.settings().tickInterval());
        return worker;
    }

    /** A worker added before. */
    public FakeWorker worker(String id) {
        FakeWorker w = workers.get(id);
        if (w == null) {
            throw new IllegalArgumentException("no worker " + id + "; added: " + workers.keySet());
        }
        return w;
    }

    /** Submits {@code task} to the intake now, and tells what became of it at once. */
    public TaskFate submit(Task task) {
        harness.submit(task);
        collect();
        return fate(task.getId());
    }

    /**
     * Sets a run-time control key (e.g. {@code routing.strategy}, {@code worker.<id>.state}) as
     * {@code config set} does; it takes effect on the next decision. A value the dispatcher refuses is
     * ignored (and counted), as in production.
     */
    public void set(String key, String value) {
        harness.control().pipeInput(key, new ControlCommand(key, value, harness.now(), "testkit"), harness.now());
        collect();
    }

    /**
     * Moves driven time forward by {@code d}, in steps no longer than the dispatcher's tick, with every
     * fake worker that is up heartbeating on its interval on the way.
     */
    public void advance(Duration d) {
        Instant end = harness.now().plus(d);
        Duration tick = harness.settings().tickInterval();
        while (harness.now().isBefore(end)) {
            Instant stepEnd = min(min(end, harness.now().plus(tick)), nextBeat);
            harness.advance(Duration.between(harness.now(), stepEnd));
            if (!harness.now().isBefore(nextBeat)) {
                workers.values().stream().filter(FakeWorker::isUp).forEach(FakeWorker::heartbeat);
                nextBeat = nextBeat.plus(HEARTBEAT_INTERVAL);
            }
            collect();
        }
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** The driven time. */
    public Instant now() {
        return harness.now();
    }

    /** Where the task is now, with the evidence. */
    public TaskFate fate(String taskId) {
        collect();
        StoredAttempt live = harness.attempts().get(taskId);
        if (live != null) {
            RoutingExplanation why = harness.explanation(taskId);
            return live.getState() == StoredAttemptState.ASSIGNED
                    ? new TaskFate.Assigned(live.getWorkerId(), live.getAttempt(), why)
                    : new TaskFate.Waiting(live.getState() == StoredAttemptState.BACKING_OFF, live.getAttempt(), why);
        }
        for (int i = deadLetters.size() - 1; i >= 0; i--) {
            if (taskId.equals(deadLetters.get(i).getTaskId())) {
                return new TaskFate.DeadLettered(deadLetters.get(i));
            }
        }
        TaskResult result = finished.get(taskId);
        return result != null ? new TaskFate.Finished(result) : new TaskFate.Unknown(taskId);
    }

    /** The worker the task's current attempt is with, if it is with one. */
    public Optional<String> workerOf(String taskId) {
        return fate(taskId) instanceof TaskFate.Assigned a ? Optional.of(a.workerId()) : Optional.empty();
    }

    /**
     * The dispatcher's latest routing decision for the task, as {@code explain} shows it (candidates, the rule
     * that excluded each other worker, strategy, chosen worker or why it waits), or {@code null} when none.
     */
    public RoutingExplanation explain(String taskId) {
        return harness.explanation(taskId);
    }

    /** Every routing decision written so far, in order (attempts, retries and parked tasks). */
    public List<RoutingExplanation> decisions() {
        collect();
        return List.copyOf(decisions);
    }

    /** Every dead letter written so far, in order. */
    public List<DeadLetter> deadLetters() {
        collect();
        return List.copyOf(deadLetters);
    }

    /** The shared harness under the kit, for what the kit does not cover (raw input, stores). */
    public TopologyHarness harness() {
        return harness;
    }

    /** A clock that reads the driven time, as the fake workers stamp their results with. */
    Clock clock() {
        return clock;
    }

    /** Records a success a fake worker reported, for {@link TaskFate.Finished}. */
    void finished(TaskResult result) {
        finished.put(result.getTaskId(), result);
    }

    /** Reads what the topology wrote since the last look and hands each worker its assignments. */
    void collect() {
        workers.forEach((id, worker) -> worker.receive(
                workerTopics.computeIfAbsent(id, harness::workerTopic).readValuesToList()));
        deadLetters.addAll(harness.deadLetters().readValuesToList());
        decisions.addAll(harness.decisions().readValuesToList());
    }

    /** Closes the driver. */
    @Override
    public void close() {
        harness.close();
    }

    /** The harness's driven time as a {@link Clock}. */
    private final class DrivenClock extends Clock {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException("the driven clock is UTC");
        }

        @Override
        public Instant instant() {
            return harness.now();
        }
    }
}
