package io.kdispatch.dispatcher.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of routing one task attempt: {@link Assigned} or {@link Parked}.
 *
 * <p>A decision lists its candidates and exclusions in worker-ID order, with their counts beside them. The
 * lists are complete whenever no per-decision rule (fullness, anti-affinity, the avoid set) took a worker
 * out, and then shared with every other decision of the same routing table; otherwise, and always for a
 * parked task, they hold the first {@link #DETAIL_LIMIT} by worker ID, snapshotted when the decision was
 * made, so that a decision costs the same with 10 workers or 10,000. Either way every listed entry is true
 * and no worker between two listed ones is missing; the counts are exact.
 */
public sealed interface RoutingDecision {
    /** Entries a decision lists at least (of each list) when it cannot share its routing table's. */
    int DETAIL_LIMIT = 20;

    /** Known workers that could not take the task, the first of them in worker-ID order with their rule. */
    Map<String, String> excluded();

    /** How many known workers could not take the task; at least {@code excluded().size()}. */
    int excludedCount();

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
     * @param candidates the eligible workers, in ID order, before soft preferences and the strategy chose
     *                   (the first {@link #DETAIL_LIMIT} at least; see the interface)
     * @param excluded the rule that excluded each other known worker, in worker-ID order (likewise)
     * @param binding for an affinity key, why it is on {@code workerId} when this decision placed or moved it
     *                (e.g. {@code first placement}, {@code moved from w3: liveness DEAD}); null when the key
     *                kept its worker or the task has no key
     * @param candidateCount how many workers were eligible
     * @param excludedCount how many were not
     */
    record Assigned(String workerId, String rule, String strategy, List<String> candidates,
                    Map<String, String> excluded, String binding, int candidateCount, int excludedCount)
            implements RoutingDecision {
        public Assigned {
            Objects.requireNonNull(workerId, "workerId");
            Objects.requireNonNull(rule, "rule");
            Objects.requireNonNull(strategy, "strategy");
            candidates = candidates instanceof Heads.IdList ? candidates : List.copyOf(candidates);
            excluded = excluded instanceof Heads.Snapshot ? excluded : ReasonMap.copyOf(excluded);
            if (candidateCount < candidates.size() || excludedCount < excluded.size()) {
                throw new IllegalArgumentException("a count is below its list's size");
            }
        }

        /** A decision whose lists are complete: the counts are their sizes. */
        public Assigned(String workerId, String rule, String strategy, List<String> candidates,
                        Map<String, String> excluded, String binding) {
            this(workerId, rule, strategy, candidates, excluded, binding, candidates.size(), excluded.size());
        }
    }

    /**
     * No worker can take the task now; it waits until one can.
     *
     * @param reason a one-line summary, e.g. {@code no eligible worker among 5: 3 full, 2 label requirement
     *               gpu=true not met}, or {@code no workers known}
     * @param excluded for each known worker, the rule that excluded it, in worker-ID order (the first
     *                 {@link #DETAIL_LIMIT} at least; see the interface)
     * @param excludedCount how many workers were excluded
     * @param kind the class of the reason, for metrics
     */
    record Parked(String reason, Map<String, String> excluded, int excludedCount, ParkKind kind)
            implements RoutingDecision {
        public Parked {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(kind, "kind");
            excluded = excluded instanceof Heads.Snapshot ? excluded : ReasonMap.copyOf(excluded);
            if (excludedCount < excluded.size()) {
                throw new IllegalArgumentException("excludedCount is below the list's size");
            }
        }

        /** Parked for want of a worker ({@link ParkKind#NO_WORKER}), with {@code excludedCount} workers excluded. */
        public Parked(String reason, Map<String, String> excluded, int excludedCount) {
            this(reason, excluded, excludedCount, ParkKind.NO_WORKER);
        }

        /** Parked for the reason class {@code kind}; the list is complete. */
        public Parked(String reason, Map<String, String> excluded, ParkKind kind) {
            this(reason, excluded, excluded.size(), kind);
        }

        /** Parked for want of a worker ({@link ParkKind#NO_WORKER}); the list is complete. */
        public Parked(String reason, Map<String, String> excluded) {
            this(reason, excluded, excluded.size(), ParkKind.NO_WORKER);
        }
    }
}
