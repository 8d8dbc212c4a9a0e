package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.attempt.Attempt;
import io.kdispatch.dispatcher.attempt.Effect;
import io.kdispatch.dispatcher.attempt.ResultFacts;
import io.kdispatch.dispatcher.attempt.Step;
import io.kdispatch.dispatcher.attempt.TaskFacts;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import java.time.Instant;
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
                 FleetTracker fleet, Runnable reflag, Logger log) {
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
        for (Effect effect : step.effects()) {
            applyOne(effect, task, nowMs);
        }
        Attempt next = step.next();
        if (next == null) {
            if (previous != null) {
                p.table().remove(previous);
            }
        } else if (previous == null || !next.equals(previous.attempt())) {
            // An attempt that still waits exactly as it did is not rewritten (no changelog record per tick).
            p.table().put(previous, next, task);
        }
    }

    // Java 17 has no pattern switch; the chain covers every permitted Effect (a new one fails loudly).
    private void applyOne(Effect effect, Task task, long nowMs) {
        if (effect instanceof Effect.Send send) {
            send(send, task, nowMs);
        } else if (effect instanceof Effect.Wait wait) {
            waiting(wait, nowMs);
        } else if (effect instanceof Effect.DeadLetter dead) {
            deadLetter(dead, task, nowMs);
        } else if (effect instanceof Effect.Finish finish) {
            finished(finish.attempt(), nowMs);
        } else if (effect instanceof Effect.Accept accept) {
            accepted(accept, nowMs);
        } else if (effect instanceof Effect.Ignore ignore) {
            p.metrics().staleResult();
            p.log().debug("Ignored a report on task {}: {}", ignore.taskId(), ignore.why());
        } else if (effect instanceof Effect.Retry retry) {
            p.metrics().redispatched(retry.why());
        } else {
            throw new IllegalStateException("unhandled effect " + effect);
        }
    }

    private void send(Effect.Send send, Task task, long nowMs) {
        Attempt sent = send.attempt();
        RoutingDecision.Assigned decision = send.decision();
        String routingKey = RoutingKeys.of(sent.taskId(), task);
        p.context().forward(new Record<>(sent.taskId(), new DispatchOutput.ToWorker(AttemptRecords.wire(sent, task,
                decision, routingKey, p.settings().leaseDuration().toMillis())), nowMs));
        p.loads().sent(sent.workerId());
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
    }

    private void waiting(Effect.Wait wait, long nowMs) {
        if (!wait.firstTime()) {
            return; // explained and counted when it first parked
        }
        Attempt a = wait.attempt();
        RoutingDecision.Parked parked = wait.decision() != null ? wait.decision()
                : new RoutingDecision.Parked("retry backs off until " + Instant.ofEpochMilli(a.notBeforeMs()), Map.of());
        p.metrics().parked(parked.reason());
        p.log().debug("Task {} waits: {}", a.taskId(), parked.reason());
        explain(a, parked, RoutingKeys.of(a.taskId(), a.task().affinityKey(), a.task().group()), nowMs);
    }

    private void deadLetter(Effect.DeadLetter dead, Task task, long nowMs) {
        DeadLetterReason reason = DeadLetterReason.valueOf(dead.cause().name());
        p.log().info("Dead-lettering task {}: {} ({})", dead.attempt().taskId(), reason, dead.detail());
        p.context().forward(new Record<>(dead.attempt().taskId(), new DispatchOutput.ToDeadLetters(
                DeadLetters.forTask(task, reason, dead.detail(), AttemptRecords.records(dead.history()), nowMs)),
                nowMs));
        p.metrics().deadLettered(reason.name());
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
