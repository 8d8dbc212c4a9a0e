package io.kdispatch.dispatcher.simulate;

import java.util.Map;

/**
 * What one configuration did with a scenario. Times are milliseconds; utilisation is 0..1.
 *
 * @param label the configuration's name
 * @param settings the settings it set over the scenario's
 * @param arrived tasks submitted
 * @param completed tasks that succeeded (their result was accepted)
 * @param unfinished tasks neither completed nor dead-lettered when the run ended
 * @param deadLetters dead letters by reason
 * @param parked times a task attempt started waiting for a worker
 * @param parkReasons the same by generalized reason
 * @param breakerTrips breakers that opened (per dispatcher partition, as each judges on its own)
 * @param keysMoved affinity keys moved to another worker
 * @param keysPlaced affinity keys placed for the first time (or again after their binding expired)
 * @param redispatched attempts sent again, by why (failed, rejected, worker-lost, lease-expired, ...)
 * @param staleResults results ignored because they belonged to an attempt no longer live
 * @param waits per completed task, submission to the start of its successful attempt, sorted
 * @param endToEnd per completed task, submission to the dispatcher accepting its result, sorted
 * @param completedByWorker per worker, the tasks whose successful attempt ran on it; sorted by worker
 * @param utilisation per worker, busy slot-time over capacity x arrival period
 * @param series per worker, utilisation per bucket of {@code bucketMs}
 * @param bucketMs the width of a utilisation bucket
 * @param simulatedMs virtual time the run covered
 * @param recorded true for what a trace recorded rather than a simulation: dead letters, breaker trips and stale
 *     results are not in a trace (reports show them as unknown), re-dispatches are the failed and rejected results
 */
public record SimResult(String label, Map<String, String> settings, long arrived, long completed, long unfinished,
                        Map<String, Long> deadLetters, long parked, Map<String, Long> parkReasons, long breakerTrips,
                        long keysMoved, long keysPlaced, Map<String, Long> redispatched, long staleResults,
                        long[] waits, long[] endToEnd, Map<String, Long> completedByWorker,
                        Map<String, Double> utilisation, Map<String, double[]> series,
                        long bucketMs, long simulatedMs, boolean recorded) {

    public SimResult {
        completedByWorker = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(completedByWorker));
    }

    /** The share (0..1) of the completed tasks that ran on {@code workerId}. */
    public double share(String workerId) {
        return completed == 0 ? 0 : (double) completedByWorker.getOrDefault(workerId, 0L) / completed;
    }

    /** Dead letters of every reason. */
    public long deadLettered() {
        return deadLetters.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The {@code q}-quantile (0..1) of sorted {@code values}, or 0 when there are none. */
    public static long percentile(long[] values, double q) {
        if (values.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(q * values.length);
        return values[Math.max(0, Math.min(values.length - 1, rank - 1))];
    }

    /** Mean utilisation over the workers. */
    public double utilisationMean() {
        return utilisation.values().stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** Standard deviation of utilisation over the workers: the spread. */
    public double utilisationStdDev() {
        double mean = utilisationMean();
        return Math.sqrt(utilisation.values().stream().mapToDouble(u -> (u - mean) * (u - mean)).average().orElse(0));
    }

    public double utilisationMin() {
        return utilisation.values().stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    public double utilisationMax() {
        return utilisation.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }
}
