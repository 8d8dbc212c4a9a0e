package io.kdispatch.dispatcher.routing;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the router needs to know about one task attempt. Null collections count as empty; null or empty
 * strings for the optional fields count as absent.
 *
 * @param taskId the task's ID; hashed by the strategies and the A/B split
 * @param affinityKey tasks sharing it go to the same worker while it stays eligible and under the load
 *                    bound; may be null
 * @param requirements hard label rules, all of which a worker must meet. Part of the routing-table cache
 *                     key, so callers should keep their order stable
 * @param preferences soft label preferences, {@code key -> value}: among eligible workers, those matching
 *                    the most are preferred by the strategies; never excludes a worker
 * @param stickyWorker the worker holding this task ID now (a resubmission); it keeps the task while it is
 *                     eligible; may be null
 * @param avoidWorkers workers to skip when another is eligible, e.g. the one that just failed this task
 * @param antiAffinityGroup the task's anti-affinity group, or null
 * @param groupOccupied workers already running a live member of {@code antiAffinityGroup}, not counting
 *                      this task itself; ignored when the group is null
 * @param boundWorker the worker {@code affinityKey} is bound to, or null when the key is unbound (or the
 *                    caller keeps no bindings: then the key is placed by consistent hashing every time)
 * @param keyIdle true when none of the key's tasks is in flight or waiting (a new burst of the key
 *                starts): only then may the key move away from a worker that is merely full and over the
 *                load bound
 */
public record RoutingRequest(String taskId, String affinityKey, List<LabelRule> requirements,
                             Map<String, String> preferences, String stickyWorker, Set<String> avoidWorkers,
                             String antiAffinityGroup, Set<String> groupOccupied, String boundWorker,
                             boolean keyIdle) {
    public RoutingRequest {
        Objects.requireNonNull(taskId, "taskId");
        affinityKey = emptyToNull(affinityKey);
        requirements = requirements == null ? List.of() : List.copyOf(requirements);
        preferences = preferences == null ? Map.of() : Map.copyOf(preferences);
        stickyWorker = emptyToNull(stickyWorker);
        avoidWorkers = avoidWorkers == null ? Set.of() : Set.copyOf(avoidWorkers);
        antiAffinityGroup = emptyToNull(antiAffinityGroup);
        groupOccupied = groupOccupied == null || antiAffinityGroup == null ? Set.of() : Set.copyOf(groupOccupied);
        boundWorker = affinityKey == null ? null : emptyToNull(boundWorker);
    }

    /** A request without an affinity binding: the key, if any, is placed by consistent hashing. */
    public RoutingRequest(String taskId, String affinityKey, List<LabelRule> requirements,
                          Map<String, String> preferences, String stickyWorker, Set<String> avoidWorkers,
                          String antiAffinityGroup, Set<String> groupOccupied) {
        this(taskId, affinityKey, requirements, preferences, stickyWorker, avoidWorkers, antiAffinityGroup,
                groupOccupied, null, true);
    }

    /** A request with only a task ID and an optional affinity key. */
    public static RoutingRequest of(String taskId, String affinityKey) {
        return new RoutingRequest(taskId, affinityKey, List.of(), Map.of(), null, Set.of(), null, Set.of(), null, true);
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
