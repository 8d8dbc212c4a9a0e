package io.kdispatch.dispatcher.routing;

import java.util.Map;

/** The outcome of routing one task attempt. */
public sealed interface RoutingDecision {

    /**
     * The task goes to {@code workerId}.
     *
     * @param workerId the chosen worker
     * @param rule the rule that chose it (e.g. {@code affinity-hash}, {@code consistent-hash})
     * @param candidates how many workers were eligible
     */
    record Assigned(String workerId, String rule, int candidates) implements RoutingDecision {
    }

    /**
     * No worker can take the task now; it waits until one can.
     *
     * @param reason a one-line summary
     * @param excluded for each known worker, the rule that excluded it
     */
    record Parked(String reason, Map<String, String> excluded) implements RoutingDecision {
        public Parked {
            excluded = Map.copyOf(excluded);
        }
    }
}
