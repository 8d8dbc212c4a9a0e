package io.kdispatch.dispatcher.routing;

import java.util.List;
import java.util.Map;

/**
 * Everything about one (requirements, preferences) signature that follows from the workers' static facts:
 * built once per signature by {@link Eligibility#table} and cached in the {@link Router}.
 *
 * @param candidates fleet indexes of the workers passing the static rules, ascending
 * @param candidateIds their IDs, in the same order
 * @param excluded the static rule that excluded each other worker
 * @param others fleet indexes of those other workers, ascending
 * @param kinds how many of them each kind of rule excluded (the reason before any parenthesis)
 * @param positions by fleet index, the worker's position in {@code candidates}, or -1
 * @param scores by fleet index, how many preferred labels the worker matches; null when there are no preferences
 */
record RoutingTable(int[] candidates, List<String> candidateIds, ReasonMap excluded, int[] others,
                    Map<String, Integer> kinds, int[] positions, int[] scores) {
}
