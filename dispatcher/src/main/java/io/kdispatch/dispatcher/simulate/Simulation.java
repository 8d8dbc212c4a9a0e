package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.simulate.EventQueue.Kind;
import io.kdispatch.dispatcher.simulate.Scenario.TaskType;
import io.kdispatch.dispatcher.simulate.Scenario.WorkerGroup;
import io.kdispatch.dispatcher.topology.TopologySettings;
import io.kdispatch.dispatcher.topology.VirtualDispatcher;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * One run of a scenario under one configuration: a discrete-event loop in virtual time (no sleeps, no wall
 * clock) that feeds the dispatcher's real processors ({@link VirtualDispatcher}) with arrivals, heartbeats,
 * results, ticks and the scenario's events, and plays the workers ({@link SimWorker}) that receive its
 * assignments. The same scenario, configuration and seed give the same {@link SimResult}, bit for bit.
 */
public final class Simulation implements SimWorker.Scheduler, VirtualDispatcher.Outputs {
    /** Virtual time zero: 2024-01-01T00:00:00Z, so times read as dates in anything the dispatcher writes. */
    static final long START_MS = 1_704_067_200_000L;
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);
    /** Marks the first heartbeat of a worker, which starts no chain of its own. */
    private static final Object HELLO = new Object();

    private record Live(long arrivalMs, long seed) {
    }

    private final Scenario scenario;
    private final SimConfig config;
    private final EventQueue events = new EventQueue();
    private final Map<String, SimWorker> workers = new TreeMap<>();
    private final Map<String, Live> live = new HashMap<>();
    private final LongList waits = new LongList();
    private final LongList endToEnd = new LongList();
    private final SimMetrics metrics = new SimMetrics(this::completed);
    private final Workload workload;
    private final long endMs;
    private final long tickMs;
    private final VirtualDispatcher dispatcher;
    private long now = START_MS;
    private long arrived;
    private long completedCount;
    private boolean arrivalsDone;
    private String currentTask;
    private String currentWorker;
    private long currentStart;
    private final Map<String, Long> completedByWorker = new TreeMap<>();

    private Simulation(Scenario scenario, SimConfig config, long seed) {
        this.scenario = scenario;
        this.config = config;
        TopologySettings settings = config.topology(scenario);
        this.workload = workload(scenario, seed);
        this.endMs = START_MS + scenario.durationMs() + scenario.graceMs();
        this.dispatcher = new VirtualDispatcher(settings, metrics, this, START_MS);
        this.tickMs = dispatcher.tickInterval().toMillis();
        Map<String, TaskType> types = new HashMap<>();
        scenario.taskTypes().forEach(t -> types.put(t.name(), t));
        long bucketMs = bucketMs(scenario.durationMs());
        long incarnation = 1;
        for (WorkerGroup g : scenario.fleet()) {
            for (int i = 1; i <= g.count(); i++) {
                Utilisation u = new Utilisation(START_MS, START_MS + scenario.durationMs(), bucketMs, g.capacity());
                workers.put(g.workerId(i), new SimWorker(g.workerId(i), g, types, this, scenario.networkDelayMs(), u,
                        incarnation++));
            }
        }
        for (Scenario.Event e : scenario.events()) {
            if (e instanceof Scenario.Join j) {
                ScenarioEvents.each(j.workers(), workers, w -> w.kill(START_MS)); // absent until it joins
            }
        }
    }

    /** The tasks a run of {@code scenario} with {@code seed} submits, from the first random stream of the run. */
    static Workload workload(Scenario scenario, long seed) {
        return new Workload(scenario, new SplittableRandom(seed).split());
    }

    /** The ID of the {@code n}-th task (0-based) a scenario submits. */
    static String taskId(long n) {
        return "t" + n;
    }

    /** The width of a utilisation bucket for a run of {@code durationMs}: a 120th of it, at least 1 s. */
    static long bucketMs(long durationMs) {
        return Math.max(1_000, durationMs / 120);
    }

    /** Runs {@code scenario} under {@code config} with {@code seed}. */
    public static SimResult run(Scenario scenario, SimConfig config, long seed) {
        return new Simulation(scenario, config, seed).run();
    }

    private SimResult run() {
        int index = 0;
        for (SimWorker w : workers.values()) {
            // every worker says hello at once, then heartbeats spread evenly over the interval
            events.add(START_MS, Kind.HEARTBEAT, w, HELLO, w.generation);
            long phase = scenario.heartbeatMs() * (index++ + 1) / workers.size();
            events.add(START_MS + phase, Kind.HEARTBEAT, w, null, w.generation);
        }
        events.add(START_MS + tickMs, Kind.TICK, null, null, 0);
        for (Scenario.Event e : scenario.events()) {
            events.add(START_MS + e.atMs(), Kind.SCENARIO, e, null, 0);
        }
        scheduleArrival();
        while (!events.isEmpty() && !(arrivalsDone && live.isEmpty())) {
            EventQueue.Event e = events.poll();
            if (e.at > endMs) {
                break;
            }
            now = e.at;
            handle(e);
        }
        workers.values().forEach(w -> w.close(now));
        return result();
    }

    private void handle(EventQueue.Event e) {
        switch (e.kind) {
            case ARRIVAL -> arrive((Workload.Arrival) e.a);
            case DELIVER -> {
                TaskAssignment a = (TaskAssignment) e.a;
                Live info = live.get(a.getTask().getId());
                workers.get(a.getWorkerId()).deliver(a, info == null ? 0 : info.seed(), now);
            }
            case FINISH -> ((SimWorker) e.a).finish((SimWorker.Job) e.b, now);
            case RESULT -> {
                TaskResult result = (TaskResult) e.b;
                currentTask = result.getTaskId();
                currentWorker = result.getWorkerId();
                currentStart = e.n;
                dispatcher.report((String) e.a, result, now);
                currentTask = null;
            }
            case HEARTBEAT -> heartbeat((SimWorker) e.a, e.n, e.b != HELLO);
            case TICK -> {
                dispatcher.tick(now);
                events.add(now + tickMs, Kind.TICK, null, null, 0);
            }
            case SCENARIO -> ScenarioEvents.apply((Scenario.Event) e.a, workers, dispatcher, now,
                    w -> events.add(now, Kind.HEARTBEAT, w, null, w.generation));
        }
    }

    private void heartbeat(SimWorker w, long generation, boolean chained) {
        if (w.alive() && generation == w.generation) {
            dispatcher.heartbeat(w.heartbeat(now, scenario.heartbeatMs()), now);
            if (chained) {
                events.add(now + scenario.heartbeatMs(), Kind.HEARTBEAT, w, null, generation);
            }
        }
    }

    private void scheduleArrival() {
        Workload.Arrival next = workload.next();
        if (next == null) {
            arrivalsDone = true;
        } else {
            events.add(START_MS + next.atMs(), Kind.ARRIVAL, next, null, 0);
        }
    }

    private void arrive(Workload.Arrival a) {
        TaskType t = scenario.taskTypes().get(a.type());
        Task task = a.recorded() != null ? RecordedTasks.task(a.recorded(), t.name(), now)
                : new Task(taskId(arrived), t.name(), NO_PAYLOAD, t.priority(), new HashMap<>(t.requires()),
                        new ArrayList<>(), new HashMap<>(t.prefers()), a.key(), null, t.maxAttempts(), null,
                        Instant.ofEpochMilli(now), new HashMap<>());
        arrived++;
        live.put(task.getId(), new Live(now, a.seed()));
        dispatcher.submit(task, now);
        scheduleArrival();
    }

    private void completed(long endToEndMs) {
        Live info = currentTask == null ? null : live.remove(currentTask);
        if (info != null) {
            completedCount++;
            completedByWorker.merge(currentWorker, 1L, Long::sum);
            endToEnd.add(endToEndMs);
            waits.add(Math.max(0, currentStart - info.arrivalMs()));
        }
    }

    @Override
    public void finishAt(long atMs, SimWorker worker, SimWorker.Job job) {
        events.add(atMs, Kind.FINISH, worker, job, 0);
    }

    @Override
    public void resultAt(long atMs, String routingKey, TaskResult result, long startedAtMs) {
        events.add(atMs, Kind.RESULT, routingKey, result, startedAtMs);
    }

    @Override
    public void toWorker(TaskAssignment assignment) {
        events.add(now + scenario.networkDelayMs(), Kind.DELIVER, assignment, null, 0);
    }

    @Override
    public void deadLettered(DeadLetter deadLetter) {
        live.remove(deadLetter.getTaskId());
    }

    private SimResult result() {
        Map<String, Double> utilisation = new LinkedHashMap<>();
        Map<String, double[]> series = new LinkedHashMap<>();
        workers.forEach((id, w) -> {
            utilisation.put(id, w.utilisation().overall());
            series.put(id, w.utilisation().series());
        });
        return new SimResult(config.label(), config.settings(), arrived, completedCount, live.size(),
                new TreeMap<>(metrics.deadLetters), metrics.parked, new TreeMap<>(metrics.parkReasons),
                metrics.breakerTrips, metrics.keysMoved, metrics.keysPlaced, new TreeMap<>(metrics.redispatched),
                metrics.staleResults, waits.sorted(), endToEnd.sorted(), completedByWorker, utilisation, series,
                bucketMs(scenario.durationMs()), now - START_MS, false);
    }
}
