package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.breaker.BreakerState;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What the dispatcher reports while a simulation runs, through the same {@link DispatchMetrics} calls
 * that feed Prometheus in production: parks and their reasons, dead letters, re-dispatches, breaker trips,
 * affinity-key moves, completions. Reasons are generalized (IDs and counts removed) so they can be tallied.
 * Single-threaded.
 */
final class SimMetrics implements DispatchMetrics {
    private static final Pattern COUNTS = Pattern.compile("(^|, )\\d+ ");
    private static final Pattern PARENTHESES = Pattern.compile(" \\([^)]*\\)");

    /** Called for each completion with its end-to-end time; the simulation knows which task it was. */
    interface Completions {
        void completed(long endToEndMs);
    }

    final Map<String, Long> parkReasons = new TreeMap<>();
    final Map<String, Long> deadLetters = new TreeMap<>();
    final Map<String, Long> redispatched = new TreeMap<>();
    long parked;
    long breakerTrips;
    long keysMoved;
    long keysPlaced;
    long staleResults;
    private final Completions completions;

    SimMetrics(Completions completions) {
        this.completions = completions;
    }

    @Override
    public void parked(String reason) {
        parked++;
        parkReasons.merge(kind(reason), 1L, Long::sum);
    }

    @Override
    public void deadLettered(String reason) {
        deadLetters.merge(reason, 1L, Long::sum);
    }

    @Override
    public void redispatched(String reason) {
        redispatched.merge(reason, 1L, Long::sum);
    }

    @Override
    public void staleResult() {
        staleResults++;
    }

    @Override
    public void breakerChanged(String workerId, String from, String to) {
        if (BreakerState.OPEN.name().equals(to)) {
            breakerTrips++;
        }
    }

    @Override
    public void affinityBound(String how) {
        if ("moved".equals(how)) {
            keysMoved++;
        } else {
            keysPlaced++;
        }
    }

    @Override
    public void completed(long millis) {
        completions.completed(millis);
    }

    /** A park reason without the IDs, counts and details that make every one different. */
    static String kind(String reason) {
        if (reason.startsWith("retry backs off")) {
            return "retry backoff";
        }
        if (reason.startsWith("task type ")) {
            return "task type paused";
        }
        if (reason.startsWith("affinity key ")) {
            if (reason.contains(": its earlier tasks wait")) {
                return "behind earlier tasks of its affinity key";
            }
            int colon = reason.indexOf(": ");
            return "affinity key's worker " + (colon < 0 ? "busy" : detail(reason.substring(colon + 2)));
        }
        int colon = reason.indexOf(": ");
        if (reason.startsWith("no eligible worker") && colon >= 0) {
            return "no eligible worker: " + detail(reason.substring(colon + 2));
        }
        return detail(reason);
    }

    private static String detail(String text) {
        String plain = PARENTHESES.matcher(text).replaceAll("");
        return COUNTS.matcher(plain).replaceAll("$1").trim();
    }
}
