package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.Effect;
import io.kdispatch.dispatcher.attempt.ResultFacts;
import io.kdispatch.dispatcher.attempt.Step;
import io.kdispatch.dispatcher.attempt.TaskFacts;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.ParkKind;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;

/**
 * Applies a lifecycle {@link Step} to the world: each effect to its topic, store, estimate or meter, then
 * the step's attempt to the attempts table. The only writer of this stream task's outputs.
 */
final class StepApplier {
    /** What the applier works on; all owned by one stream task. */
    record Parts(ProcessorContext<String, DispatchOutput> context, TopologySettings settings, DispatchMetrics metrics,
                 AttemptTable table, AffinityBindings bindings, LoadTracker loads, BreakerBoard breakers,
                 FleetTracker fleet, Runnable reflag, RouteTracing tracing, QuotaMetering metering, Logger log) {
    }

    private final Parts p;

    StepApplier(Parts parts) {
        this.p = parts;
    }

    /**
     * Applies {@code step}, which followed {@code previous} (null when the task had no live attempt), for
     * the wire task {@code task}.
     */
    void apply(AttemptTable.Live previous, Step step, Task task, long nowMs) {
        Task kept = task; // the same task, unless a decision started its trace (RouteTracing)
        for (Effect effect : step.effects()) {
            kept = applyOne(effect, kept, nowMs);
        }
        Attempt next = step.next();
        if (next == null || !next.state().isWaiting()) {
            String id = next != null ? next.taskId() : previous != null ? previous.attempt().taskId() : null;
            if (id != null) {
                p.metering().left(id);
            }
        }
        if (next == null) {
            if (previous != null) {
                p.table().remove(previous);
            }
        } else if (previous == null || !next.equals(previous.attempt()) || kept != task) {
            // An attempt that still waits exactly as it did is not rewritten (no changelog record per tick).
            p.table().put(previous, next, kept, nowMs);
        }
    }

    /** Applies one effect; returns the task to keep for the attempt (see {@link RouteTracing}). */
    // Java 17 has no pattern switch; the chain covers every permitted Effect (a new one fails loudly).
    private Task applyOne(Effect effect, Task task, long nowMs) {
        if (effect instanceof Effect.Send send) {
            return send(send, task, nowMs);
        } else if (effect instanceof Effect.Wait wait) {
            return waiting(wait, task, nowMs);
        } else if (effect instanceof Effect.DeadLetter dead) {
            deadLetter(dead, task, nowMs);
        } else if (effect instanceof Effect.Finish finish) {
            finished(finish.attempt(), nowMs);
        } else if (effect instanceof Effect.Accept accept) {
            accepted(accept, nowMs);
        } else if (effect instanceof Effect.Ignore ignore) {
            p.metrics().staleResult();
            p.log().info("Ignored a report on task {}: {}", Abbreviated.of(ignore.taskId()), ignore.why());
        } else if (effect instanceof Effect.Retry retry) {
            p.metrics().redispatched(retry.why());
        } else {
            throw new IllegalStateException("unhandled effect " + effect);
        }
        return task;
    }

    private Task send(Effect.Send send, Task task, long nowMs) {
        Attempt sent = send.attempt();
        RoutingDecision.Assigned decision = send.decision();
        String routingKey = RoutingKeys.of(sent.taskId(), task);
        Task traced = p.tracing().sent(sent, decision, task, nowMs);
        p.context().forward(new Record<>(sent.taskId(), new DispatchOutput.ToWorker(AttemptRecords.wire(sent, traced,
                decision, routingKey, p.settings().leaseDuration().toMillis(),
                p.table().index().waiting().weight(sent.task().tenant()))), nowMs));
        p.loads().sent(sent.workerId());
        p.metering().sent(sent, nowMs);
        if (p.breakers().sent(sent.workerId())) {
            p.reflag().run();
        }
        String key = sent.task().affinityKey();
        if (key != null && !sent.retry() && p.bindings().used(key, sent.workerId(),
                decision.binding() != null ? decision.binding() : decision.rule(), nowMs)
                && decision.binding() != null) {
            p.metrics().affinityBound(decision.binding().startsWith("moved") ? "moved" : "placed");
            p.log().debug("Affinity key {} is now on {}: {}", key, sent.workerId(), decision.binding());
        }
        p.metrics().routed(decision.strategy());
        explain(sent, decision, routingKey, nowMs);
        return RouteTracing.stored(task, traced);
    }

    private Task waiting(Effect.Wait wait, Task task, long nowMs) {
        Attempt a = wait.attempt();
        RoutingDecision.Parked parked = wait.decision() != null ? wait.decision()
                : new RoutingDecision.Parked("retry backs off until " + Instant.ofEpochMilli(a.notBeforeMs()), Map.of(),
                        ParkKind.BACKOFF);
        boolean newClass = p.metering().parked(a, parked.kind(), nowMs);
        if (!wait.firstTime()) {
            if (newClass) { // it waits for another reason now (a quota after a worker, ...): explain that
                explain(a, parked, RoutingKeys.of(a.taskId(), a.task().affinityKey(), a.task().group()), nowMs);
            }
            return task; // counted and traced when it first parked
        }
        p.metrics().parked(parked.reason());
        p.log().debug("Task {} waits: {}", a.taskId(), parked.reason());
        explain(a, parked, RoutingKeys.of(a.taskId(), a.task().affinityKey(), a.task().group()), nowMs);
        return p.tracing().parked(a, parked, task, nowMs);
    }

    private void deadLetter(Effect.DeadLetter dead, Task task, long nowMs) {
        DeadLetterReason reason = DeadLetterReason.valueOf(dead.cause().name());
        p.log().info("Dead-lettering task {}: {} ({})", dead.attempt().taskId(), reason, dead.detail());
        p.context().forward(new Record<>(dead.attempt().taskId(), new DispatchOutput.ToDeadLetters(
                DeadLetters.forTask(task, reason, dead.detail(), AttemptRecords.records(dead.history()), nowMs)),
                nowMs));
        p.metrics().deadLettered(reason.name());
    }

    /**
     * Dead-letters {@code task} as invalid without touching the live attempt of its ID (a conflicting
     * duplicate): the attempts table is not written.
     */
    void reject(Task task, String detail, long nowMs) {
        p.log().info("Dead-lettering task {}: {} ({})", task.getId(), DeadLetterReason.INVALID_TASK, detail);
        p.context().forward(new Record<>(task.getId(), new DispatchOutput.ToDeadLetters(
                DeadLetters.forTask(task, DeadLetterReason.INVALID_TASK, detail, List.of(), nowMs)), nowMs));
        p.metrics().deadLettered(DeadLetterReason.INVALID_TASK.name());
    }

    private void finished(Attempt done, long nowMs) {
        if (done.task().submittedAtMs() != TaskFacts.UNKNOWN) {
            p.metrics().completed(nowMs - done.task().submittedAtMs());
        }
    }

    /** A counted result feeds the worker's load estimate, its credit and its breaker. */
    private void accepted(Effect.Accept accept, long nowMs) {
        ResultFacts result = accept.result();
        String worker = result.workerId();
        long roundTripMs = accept.attempt().assignedAtMs() > 0 ? nowMs - accept.attempt().assignedAtMs() : -1;
        p.metrics().resultAccepted(result.status().name());
        boolean failure = switch (result.status()) {
            case SUCCEEDED -> {
                p.loads().completed(worker, result.durationMs(), roundTripMs, result.queuedMs());
                yield slow(result);
            }
            case FAILED -> {
                p.loads().completed(worker, result.durationMs(), roundTripMs, result.queuedMs());
                yield true;
            }
            case REJECTED -> {
                p.loads().finished(worker);
                yield true;
            }
        };
        if (p.breakers().record(worker, failure, nowMs, p.fleet().size())) {
            p.reflag().run();
        }
    }

    private void explain(Attempt attempt, RoutingDecision decision, String routingKey, long nowMs) {
        if (p.settings().decisions()) {
            p.context().forward(new Record<>(attempt.taskId(), new DispatchOutput.ToDecisions(Explanations.of(
                    attempt, decision, routingKey, p.context().taskId().toString(), nowMs)), nowMs));
        }
    }

    private boolean slow(ResultFacts result) {
        long threshold = p.settings().health().breaker().slowCallMs();
        return threshold > 0 && result.durationMs() > threshold;
    }
}
