package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.AttemptMachine;
import io.kdispatch.dispatcher.attempt.AttemptPolicy;
import io.kdispatch.dispatcher.attempt.LossCause;
import io.kdispatch.dispatcher.attempt.Step;
import io.kdispatch.dispatcher.control.ControlState;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.quota.QuotaBoard;
import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerIds;
import io.kdispatch.schemas.WorkerSighting;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.utils.LogContext;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;

/**
 * The adapter between Kafka Streams and the attempt lifecycle: one instance per stream task, fed by
 * tasks (re-keyed by routing key) and results (keyed by the same routing key), so a task, its results and
 * every member of its anti-affinity group and affinity key meet in one instance.
 *
 * <p>Each input is read from the stores, handed to the {@link AttemptMachine} with the routing port, and
 * the step it returns is applied by the {@link StepApplier}. On a wall-clock tick the worker view and
 * the control settings are re-read, attempts that lost their worker, its incarnation or their lease are
 * sent again, and waiting attempts get another chance (quotas with room again, rate buckets refilled).
 */
final class DispatchProcessor implements Processor<String, DispatchInput, String, DispatchOutput> {
    private static final int MAX_RELEASED_PER_TICK = 10_000;
    private static final int RELEASED_PER_RESULT = 8;

    private final TopologySettings settings;
    private final DispatchMetrics metrics;
    private final AttemptMachine machine;
    private final RouteTracing tracing;
    private ProcessorContext<String, DispatchOutput> context;
    private Logger log;
    private AttemptTable table;
    private AffinityBindings bindings;
    private BreakerBoard breakers;
    private ControlView control;
    private final AtomicLong controlChanges;
    private long controlSeen = -1;
    private ControlState controlState = ControlState.EMPTY;
    private FleetTracker fleet;
    private RoutingPort routing;
    private Reclaimer reclaimer;
    private StepApplier applier;
    private WaitingRelease waiting;
    private QuotaBoard quotas;
    private QuotaMetering metering;

    DispatchProcessor(TopologySettings settings, DispatchMetrics metrics, RouteTracing tracing,
                      AtomicLong controlChanges) {
        this.tracing = tracing;
        this.controlChanges = controlChanges;
        this.settings = settings;
        this.metrics = metrics;
        HealthSettings health = settings.health();
        this.machine = new AttemptMachine(new AttemptPolicy(settings.leaseDuration(), health.retryBackoffInitial(),
                health.retryBackoffMax(), health.poisonMaxLosses()));
    }

    @Override
    public void init(ProcessorContext<String, DispatchOutput> context) {
        this.context = context;
        this.log = new LogContext("[dispatch " + context.taskId() + "] ").logger(DispatchProcessor.class);
        this.table = new AttemptTable(context.getStateStore(StoreNames.ATTEMPTS), settings.quotas().tenancy());
        this.bindings = new AffinityBindings(context.getStateStore(StoreNames.BINDINGS));
        this.control = new ControlView(context.getStateStore(StoreNames.CONTROL));
        this.controlState = control.current();
        this.breakers = new BreakerBoard(context.getStateStore(StoreNames.BREAKERS),
                controlState.breaker().apply(settings.health().breaker()), metrics, log);
        LoadTracker loads = new LoadTracker();
        ReadOnlyKeyValueStore<String, WorkerSighting> view = context.getStateStore(StoreNames.WORKER_VIEW);
        this.fleet = new FleetTracker(view, settings.liveness(), controlState.routing(settings.routing()), loads, log,
                context.taskId().partition() == 0, metrics);
        int partition = context.taskId().partition();
        this.quotas = new QuotaBoard(partition, Math.max(settings.partitions(), partition + 1),
                table.index().inFlight(), settings.quotas().limits());
        this.metering = new QuotaMetering(context.taskId().toString(), metrics, quotas, settings.quotas().tenancy());
        this.routing = new RoutingPort(fleet, loads, table.index(), bindings, metrics, quotas,
                settings.quotas(), context::currentSystemTimeMs);
        routing.control(controlState);
        this.reclaimer = new Reclaimer(table.index(), fleet, log, context.currentSystemTimeMs(),
                settings.liveness().suspectAfter());
        this.applier = new StepApplier(new StepApplier.Parts(context, settings, metrics, table, bindings, loads,
                breakers, fleet, () -> fleet.reflag(flags()), tracing, metering, log));
        this.waiting = new WaitingRelease(table, machine, routing, applier);
        fleet.refresh(context.currentSystemTimeMs(), flags());
        context.schedule(settings.tickInterval(), PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void process(Record<String, DispatchInput> record) {
        if (controlChanges.get() != controlSeen) {
            // an operator's change (drain, cordon, strategy...) decides this record, not one a tick later
            applyControl(context.currentSystemTimeMs());
        }
        DispatchInput input = record.value();
        if (input instanceof DispatchInput.Submitted s) {
            onTask(s.task());
        } else if (input instanceof DispatchInput.Reported r) {
            onResult(r.result());
        } else {
            metrics.staleResult();
            log.warn("Ignored a record with no value (key {}): tombstones mean nothing on results",
                    Abbreviated.of(record.key()));
        }
    }

    @Override
    public void close() {
        metrics.pending(context.taskId().toString(), 0); // this task may now run elsewhere
        metering.close();
    }

    private void onTask(Task task) {
        long now = context.currentSystemTimeMs();
        AttemptTable.Live live = table.get(task.getId());
        String conflict = live == null ? null : TaskValidator.conflict(live.task(), task);
        if (conflict != null) {
            applier.reject(task, conflict, now); // the live task keeps its attempt, its worker and its place
            return;
        }
        Step step = machine.submitted(table.facts(task), live == null ? null : live.attempt(), routing, now);
        applier.apply(live, step, task, now);
    }

    private void onResult(TaskResult result) {
        long now = context.currentSystemTimeMs();
        if (!WorkerIds.isValid(result.getWorkerId())) {
            // no task is ever sent to such a worker, so the report concerns nothing; its ID is not repeated raw
            metrics.staleResult();
            log.info("Ignored a report on task {}: its worker ID {} is invalid", Abbreviated.of(result.getTaskId()),
                    Abbreviated.of(result.getWorkerId()));
            return;
        }
        AttemptTable.Live live = table.get(result.getTaskId());
        Step step;
        if (result.getStatus() == ResultStatus.LEASE_EXTENSION) {
            step = machine.extended(live == null ? null : live.attempt(), result.getWorkerId(),
                    result.getWorkerIncarnation(), result.getAttempt(), now);
        } else {
            step = machine.reported(live == null ? null : live.attempt(), AttemptRecords.result(result), routing, now);
        }
        applier.apply(live, step, live == null ? null : live.task(), now);
        if (result.getStatus() != ResultStatus.LEASE_EXTENSION && live != null && step.next() != live.attempt()) {
            // a result freed room on its worker: let as many waiting tasks try now as that worker has room
            waiting.release(now, RELEASED_PER_RESULT, routing.roomOn(result.getWorkerId()));
        }
    }

    /** Run-time control: a new strategy, split, bound, prefetch, drain or cordon takes effect at once. */
    private void applyControl(long now) {
        controlSeen = controlChanges.get();
        ControlState latest = control.current();
        if (latest != controlState) {
            controlState = latest;
            routing.control(latest);
            fleet.reconfigure(latest.routing(settings.routing()));
            breakers.repolicy(latest.breaker().apply(settings.health().breaker()));
            fleet.refresh(now, flags());
        }
    }

    private void tick(long now) {
        applyControl(now);
        if (breakers.tick(now)) {
            fleet.reflag(flags());
        }
        fleet.refresh(now, flags());
        reclaimer.reclaim(now, MAX_RELEASED_PER_TICK, (taskId, cause) -> lose(taskId, cause, now));
        waiting.release(now, MAX_RELEASED_PER_TICK, routing.freeRoom());
        bindings.sweep(now, table.index()::keyActive);
        quotas.sweep(now);
        metrics.pending(context.taskId().toString(), table.index().waiting().size());
        metering.report(table.index().waiting().size());
    }

    private void lose(String taskId, LossCause cause, long now) {
        AttemptTable.Live live = table.get(taskId);
        if (live != null) {
            applier.apply(live, machine.lost(live.attempt(), cause, routing, now), live.task(), now);
        }
    }

    private FleetTracker.WorkerFlags flags() {
        return new OperatorFlags(breakers, controlState);
    }
}
