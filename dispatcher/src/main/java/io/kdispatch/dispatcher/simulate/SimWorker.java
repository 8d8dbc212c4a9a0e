package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.simulate.Scenario.TaskType;
import io.kdispatch.dispatcher.simulate.Scenario.WorkerGroup;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One simulated worker, behaving as the worker SDK does: {@code capacity} slots, up to {@code queue}
 * assignments waiting beside them (more are answered REJECTED at once), assignments for another
 * incarnation skipped, a heartbeat with its load every interval, a result per finished attempt. A killed
 * worker goes silent and loses what it held; a restarted one comes back empty with a new incarnation.
 *
 * <p>An attempt's service time and whether it fails come from a random stream seeded by the task and the
 * attempt number, so the same attempt costs the same on any configuration being compared.
 */
final class SimWorker {
    /** What the worker hands back to the simulation's event loop. */
    interface Scheduler {
        void finishAt(long atMs, SimWorker worker, Job job);

        void resultAt(long atMs, String routingKey, TaskResult result, long startedAtMs);
    }

    /** One attempt on this worker. */
    static final class Job {
        final TaskAssignment assignment;
        final long seed;
        final long deliveredAt;
        final long incarnation;
        long startedAt;
        boolean fails;

        Job(TaskAssignment assignment, long seed, long deliveredAt, long incarnation) {
            this.assignment = assignment;
            this.seed = seed;
            this.deliveredAt = deliveredAt;
            this.incarnation = incarnation;
        }
    }

    final String id;
    final WorkerGroup group;
    private final Map<String, TaskType> types;
    private final Scheduler scheduler;
    private final long delayMs;
    private final Utilisation utilisation;
    private final ArrayDeque<Job> queue = new ArrayDeque<>();
    private final List<Job> running = new ArrayList<>();
    private long incarnation;
    private boolean alive = true;
    private double failureRate;
    private double speed;
    /** Bumped on each restart, so that the heartbeat chain of an earlier run stops. */
    int generation;

    SimWorker(String id, WorkerGroup group, Map<String, TaskType> types, Scheduler scheduler, long delayMs,
              Utilisation utilisation, long incarnation) {
        this.id = id;
        this.group = group;
        this.types = types;
        this.scheduler = scheduler;
        this.delayMs = delayMs;
        this.utilisation = utilisation;
        this.incarnation = incarnation;
        this.failureRate = group.failureRate();
        this.speed = group.speed();
    }

    boolean alive() {
        return alive;
    }

    Utilisation utilisation() {
        return utilisation;
    }

    /** An assignment reaches the worker. */
    void deliver(TaskAssignment a, long seed, long now) {
        if (!alive || (a.getWorkerIncarnation() != 0 && a.getWorkerIncarnation() != incarnation)) {
            return; // a dead worker reads nothing; the SDK skips another incarnation's assignments
        }
        Job job = new Job(a, seed, now, incarnation);
        if (running.size() < group.capacity()) {
            start(job, now);
        } else if (queue.size() < group.queue()) {
            queue.add(job);
        } else {
            send(job, ResultStatus.REJECTED, "worker saturated", now, 0, now);
        }
    }

    /** A running attempt's service time is over. */
    void finish(Job job, long now) {
        if (!alive || job.incarnation != incarnation || !running.remove(job)) {
            return; // lost with a kill or a restart
        }
        utilisation.busy(job.startedAt, now);
        send(job, job.fails ? ResultStatus.FAILED : ResultStatus.SUCCEEDED, job.fails ? "simulated failure" : null,
                now, now - job.startedAt, job.startedAt);
        Job next = queue.poll();
        if (next != null) {
            start(next, now);
        }
    }

    /** The heartbeat the worker sends now. */
    WorkerHeartbeat heartbeat(long now, long intervalMs) {
        return new WorkerHeartbeat(id, incarnation, WorkerStatus.READY, new HashMap<>(group.labels()),
                group.capacity(), running.size(), queue.size(), group.weight(), (int) intervalMs,
                Instant.ofEpochMilli(now), "simulated", group.queue(), 0); // unread: a simulated worker has no topic
    }

    /** The worker stops dead: no more heartbeats, and what it holds is lost. */
    void kill(long now) {
        drop(now);
        alive = false;
    }

    /** The worker starts again, empty, as a new incarnation. */
    void restart(long now) {
        drop(now);
        alive = true;
        incarnation++;
        generation++;
    }

    /** The end of the run: what still runs counts as busy until now. */
    void close(long now) {
        for (Job j : running) {
            utilisation.busy(j.startedAt, now);
        }
    }

    void degrade(Double newFailureRate, Double newSpeed) {
        if (newFailureRate != null) {
            failureRate = newFailureRate;
        }
        if (newSpeed != null) {
            speed = newSpeed;
        }
    }

    private void drop(long now) {
        for (Job j : running) {
            utilisation.busy(j.startedAt, now);
        }
        running.clear();
        queue.clear();
    }

    private void start(Job job, long now) {
        TaskType type = types.get(job.assignment.getTask().getType());
        Fate fate = fate(group, type, job.seed, job.assignment.getAttempt(), speed, failureRate);
        job.fails = fate.fails();
        job.startedAt = now;
        running.add(job);
        scheduler.finishAt(now + fate.serviceMs(), this, job);
    }

    /** How one attempt goes: how long it runs and whether it fails. */
    record Fate(long serviceMs, boolean fails) {
    }

    /**
     * The fate of attempt {@code attempt} of the task with {@code seed} on a worker of {@code group} running at
     * {@code speed} and failing {@code workerFailureRate} of its attempts: drawn from a stream seeded by the task
     * and the attempt alone, so it is the same on any configuration (and, for the agreement test, on the broker).
     */
    static Fate fate(WorkerGroup group, TaskType type, long seed, int attempt, double speed, double workerFailureRate) {
        Distribution d = group.serviceTimes().getOrDefault(type.name(), type.serviceTime());
        SplittableRandom random = new SplittableRandom(seed ^ (attempt * 0x9E3779B97F4A7C15L));
        double service = Math.max(0, d.sample(random)) / speed;
        double survive = (1 - type.failureRate()) * (1 - workerFailureRate);
        return new Fate(Math.round(service), random.nextDouble() >= survive);
    }

    private void send(Job job, ResultStatus status, String error, long now, long durationMs, long startedAt) {
        TaskAssignment a = job.assignment;
        TaskResult result = new TaskResult(a.getTask().getId(), id, job.incarnation, a.getAttempt(), status, error,
                null, Instant.ofEpochMilli(startedAt), Instant.ofEpochMilli(now), durationMs,
                Math.max(0, startedAt - job.deliveredAt), a.getTask().getSubmittedAt(), Map.of());
        scheduler.resultAt(now + delayMs, a.getRoutingKey(), result, startedAt);
    }
}
