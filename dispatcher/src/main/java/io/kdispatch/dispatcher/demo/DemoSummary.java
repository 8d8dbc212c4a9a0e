package io.kdispatch.dispatcher.demo;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * How a demo run ended. {@code lost} counts submitted tasks with neither a successful result nor a
 * dead letter; anything but 0 is a failure.
 */
public record DemoSummary(long submitted, long completed, long deadLettered, long lost, long duplicateResults,
                          Map<String, Long> perWorker, double seconds, double throughputPerSecond) {

    static DemoSummary of(Set<String> submitted, OutcomeTracker outcomes, double seconds, double generateSeconds) {
        Map<String, String> completedBy = outcomes.completedBy();
        Set<String> dead = outcomes.deadLettered();
        long completed = submitted.stream().filter(completedBy::containsKey).count();
        long deadLettered = submitted.stream().filter(id -> !completedBy.containsKey(id) && dead.contains(id)).count();
        long lost = submitted.size() - completed - deadLettered;
        return new DemoSummary(submitted.size(), completed, deadLettered, lost, outcomes.duplicateResults(),
                outcomes.perWorker(), seconds, seconds > 0 ? (completed + deadLettered) / seconds : 0);
    }

    /** The summary as the documented JSON object (plus timing fields). */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("submitted", submitted);
        m.put("completed", completed);
        m.put("deadLettered", deadLettered);
        m.put("lost", lost);
        m.put("duplicateResults", duplicateResults);
        m.put("perWorker", perWorker);
        m.put("seconds", Math.round(seconds * 10) / 10.0);
        m.put("throughputPerSecond", Math.round(throughputPerSecond));
        return m;
    }
}
