package io.kdispatch.dispatcher.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The outcome of routing one task attempt: {@link Assigned} or {@link Parked}. */
public sealed interface RoutingDecision {

    /** For each known worker that could not take the task, the rule that excluded it, in worker-ID order. */
    Map<String, String> excluded();

    /**
     * The task goes to {@code workerId}.
     *
     * @param workerId the chosen worker
     * @param rule the rule that chose it: {@code sticky}, {@code affinity-hash}, {@code affinity-hash+bounded}
     *             (the key's owner was over the load bound), or the strategy label, prefixed {@code ab:} when
     *             the A/B split chose the second strategy and suffixed {@code +bounded} when consistent
     *             hashing skipped an overloaded worker (e.g. {@code ab:least-loaded},
     *             {@code consistent-hash+bounded}, {@code auto:predictive})
     * @param strategy what chose the worker, for metrics tags: {@code sticky}, {@code affinity-hash}, or the
     *                 strategy label ({@code auto:<picked>} for auto), without the {@code ab:} prefix
     * @param candidates every eligible worker, in ID order, before soft preferences and the strategy chose
     * @param excluded the rule that excluded each other known worker, in worker-ID order
     * @param binding for an affinity key, why it is on {@code workerId} when this decision placed or moved it
     *                (e.g. {@code first placement}, {@code moved from w3: liveness DEAD}); null when the key
     *                kept its worker or the task has no key
     */
    record Assigned(String workerId, String rule, String strategy, List<String> candidates,
                    Map<String, String> excluded, String binding) implements RoutingDecision {
        public Assigned {
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(strategy, "strategy");
            candidates = List.copyOf(candidates);
            excluded = ReasonMap.copyOf(excluded);
        }
    }

    /**
     * No worker can take the task now; it waits until one can.
     *
     * @param reason a one-line summary, e.g. {@code no eligible worker among 5: 3 full, 2 label requirement
     *               gpu=true not met}, or {@code no workers known}
     * @param excluded for each known worker, the rule that excluded it, in worker-ID order
     * @param kind the class of the reason, for metrics
     */
    record Parked(String reason, Map<String, String> excluded, ParkKind kind) implements RoutingDecision {
        public Parked {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(kind, "kind");
            excluded = ReasonMap.copyOf(excluded);
        }

        /** Parked for want of a worker ({@link ParkKind#NO_WORKER}). */
        public Parked(String reason, Map<String, String> excluded) {
            this(reason, excluded, ParkKind.NO_WORKER);
        }
    }
}
