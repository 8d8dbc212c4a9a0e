package io.kdispatch.dispatcher.routing;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the router needs to know about one task attempt.
 *
 * @param taskId the task's ID; hashed when there is no affinity key
 * @param affinityKey tasks sharing it go to the same worker while it stays eligible; may be null
 * @param requirements hard label rules, all of which a worker must meet
 * @param avoidWorkers workers to skip when another is eligible (e.g. the one that just failed this task)
 */
public record RoutingRequest(String taskId, String affinityKey, List<LabelRule> requirements,
                             Set<String> avoidWorkers) {
    public RoutingRequest {
        Objects.requireNonNull(taskId, "taskId");
        requirements = List.copyOf(requirements);
        avoidWorkers = Set.copyOf(avoidWorkers);
    }

    /** A request with no requirements. */
    public static RoutingRequest of(String taskId, String affinityKey) {
        return new RoutingRequest(taskId, affinityKey, List.of(), Set.of());
    }

    /** The key that is hashed onto the ring: the affinity key when present, else the task ID. */
    public String hashKey() {
        return affinityKey != null && !affinityKey.isEmpty() ? affinityKey : taskId;
    }
}
