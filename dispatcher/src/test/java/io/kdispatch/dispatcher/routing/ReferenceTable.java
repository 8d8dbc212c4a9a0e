package io.kdispatch.dispatcher.routing;

import java.util.List;

/** {@link RoutingTable} as {@link ReferenceRouter} knew it. */
record ReferenceTable(int[] candidates, List<String> candidateIds, ReasonMap excluded, int[] positions, int[] scores) {
}
