package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerSighting;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The dispatcher's own processors, {@link DispatchProcessor} (one per routing partition) and
 * {@link HeartbeatProcessor}, run in virtual time without Kafka: the simulator's way to run the
 * product's real rules (routing, breakers, liveness, the attempt lifecycle, the wait queue, flow control)
 * rather than a copy of them.
 *
 * <p>What Kafka Streams would do around them is done here, plainly: stores are {@link MemoryStore}s (no
 * changelog, no serialization), a task goes to the partition of its routing key ({@link RoutingKeys}),
 * a result to the partition of the routing key its assignment carried, a control setting is validated by
 * {@link ControlKeys} and written to the control store as the control processor would, and the
 * punctuation runs when the caller calls {@link #tick}. Outputs are handed to {@link Outputs} at once.
 * Not run: the intake's validation (the caller makes valid tasks), the decisions topic, serdes, commits.
 *
 * <p>Time is the caller's: every call passes the virtual wall-clock time, which must not go back.
 * Not thread-safe: one thread drives it.
 */
public final class VirtualDispatcher {
    /** Where the processors' outputs go. */
    public interface Outputs {
        /** An assignment for the worker topic of {@code assignment.getWorkerId()}. */
        void toWorker(TaskAssignment assignment);

        /** A dead letter. */
        void deadLettered(DeadLetter deadLetter);
    }

    private final List<DispatchProcessor> processors = new ArrayList<>();
    private final List<VirtualContext<String, DispatchOutput>> contexts = new ArrayList<>();
    private final HeartbeatProcessor heartbeats;
    private final MemoryStore<String, String> control = new MemoryStore<>(StoreNames.CONTROL);
    private final AtomicLong controlChanges = new AtomicLong();
    private long now;

    /**
     * Starts the processors at {@code startMs}, one {@link DispatchProcessor} per
     * {@link TopologySettings#partitions() partition}. Set {@link TopologySettings#decisions()} to false:
     * explanations are built for nothing otherwise.
     */
    public VirtualDispatcher(TopologySettings settings, DispatchMetrics metrics, Outputs outputs, long startMs) {
        this.now = startMs;
        MemoryStore<String, WorkerSighting> view = new MemoryStore<>(StoreNames.WORKER_VIEW);
        for (int p = 0; p < settings.partitions(); p++) {
            Map<String, StateStore> stores = Map.of(StoreNames.WORKER_VIEW, view, StoreNames.CONTROL, control,
                    StoreNames.ATTEMPTS, new MemoryStore<>(StoreNames.ATTEMPTS),
                    StoreNames.BINDINGS, new MemoryStore<>(StoreNames.BINDINGS),
                    StoreNames.BREAKERS, new MemoryStore<>(StoreNames.BREAKERS));
            VirtualContext<String, DispatchOutput> context = new VirtualContext<>(new TaskId(1, p), stores,
                    () -> now, out -> deliver(out, outputs));
            DispatchProcessor processor = new DispatchProcessor(settings, metrics, RouteTracing.OFF, controlChanges);
            processor.init(context);
            processors.add(processor);
            contexts.add(context);
        }
        // heartbeats arrive decoded here: no deserializer, accept() takes them past the bytes
        heartbeats = new HeartbeatProcessor(metrics, null, settings.liveness().deadAfter());
        heartbeats.init(new VirtualContext<>(new TaskId(0, 0), Map.of(StoreNames.WORKER_VIEW, view), () -> now,
                out -> { }));
    }

    /** The interval at which the caller should call {@link #tick}: the topology's tick interval. */
    public Duration tickInterval() {
        return contexts.get(0).interval();
    }

    /** A worker's heartbeat arrives. */
    public void heartbeat(WorkerHeartbeat heartbeat, long nowMs) {
        advance(nowMs);
        heartbeats.accept(heartbeat.getWorkerId(), heartbeat);
    }

    /** A task arrives on the intake (valid: it is not checked). */
    public void submit(Task task, long nowMs) {
        advance(nowMs);
        String key = RoutingKeys.of(task.getId(), task);
        processor(key).process(new Record<>(key, new DispatchInput.Submitted(task), nowMs));
    }

    /** A worker's result or lease extension arrives, keyed by the routing key of its assignment. */
    public void report(String routingKey, TaskResult result, long nowMs) {
        advance(nowMs);
        processor(routingKey).process(new Record<>(routingKey, new DispatchInput.Reported(result), nowMs));
    }

    /**
     * An operator sets a run-time setting ({@code routing.strategy}, {@code worker.w1.state}, ...); a null
     * value returns it to its default. It takes effect before the next record, as on the control topic.
     *
     * @throws IllegalArgumentException when the control topic would refuse the key or value
     */
    public void control(String key, String value, long nowMs) {
        advance(nowMs);
        String canonical = ControlKeys.normalize(key, value);
        if (canonical == null) {
            control.delete(key);
        } else {
            control.put(key, canonical);
        }
        controlChanges.incrementAndGet();
    }

    /** The punctuation of every partition, at {@code nowMs}: liveness, leases, breakers, waiting tasks. */
    public void tick(long nowMs) {
        advance(nowMs);
        for (VirtualContext<String, DispatchOutput> context : contexts) {
            context.punctuate();
        }
    }

    private DispatchProcessor processor(String routingKey) {
        return processors.get(RoutingKeys.partitionOf(routingKey, processors.size()));
    }

    private void advance(long nowMs) {
        if (nowMs < now) {
            throw new IllegalArgumentException("virtual time must not go back: " + nowMs + " < " + now);
        }
        now = nowMs;
    }

    private static void deliver(Object out, Outputs outputs) {
        if (out instanceof DispatchOutput.ToWorker w) {
            outputs.toWorker(w.assignment());
        } else if (out instanceof DispatchOutput.ToDeadLetters d) {
            outputs.deadLettered(d.deadLetter());
        }
    }
}
