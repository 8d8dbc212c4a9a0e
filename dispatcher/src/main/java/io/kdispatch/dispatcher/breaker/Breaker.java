package io.kdispatch.dispatcher.breaker;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One worker's circuit breaker as an immutable value: every method returns the next value, and the
 * caller compares {@link #state()} to see a transition. Time comes in as wall-clock milliseconds.
 *
 * <p>CLOSED counts results in a sliding window and trips to OPEN when the failure rate reaches the
 * threshold (if the ejection cap allows). OPEN admits nothing until {@code openUntil}, then becomes
 * HALF_OPEN, which admits {@code probes} tasks: all succeed and it closes; one fails and it reopens
 * for twice as long.
 *
 * @param workerId the worker
 * @param state current state
 * @param outcomes recent results, oldest first; true is a failure
 * @param trips consecutive trips (0 once closed again)
 * @param openUntil when OPEN ends, wall-clock ms
 * @param probesSent probe tasks sent while HALF_OPEN
 * @param probeSuccesses probe tasks that succeeded while HALF_OPEN
 */
public record Breaker(String workerId, BreakerState state, List<Boolean> outcomes, int trips, long openUntil,
                      int probesSent, int probeSuccesses) {
    public Breaker {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(state, "state");
        outcomes = List.copyOf(outcomes);
    }

    /** A closed breaker with an empty window. */
    public static Breaker closed(String workerId) {
        return new Breaker(workerId, BreakerState.CLOSED, List.of(), 0, 0, 0, 0);
    }

    /** True when the worker may receive a task now: closed, or half-open with probes left. */
    public boolean admits(BreakerPolicy policy) {
        return state == BreakerState.CLOSED || (state == BreakerState.HALF_OPEN && probesSent < policy.probes());
    }

    /**
     * Takes one result.
     *
     * @param failure whether it counts as a failure (FAILED, REJECTED, or slow)
     * @param mayEject whether the ejection cap allows one more open breaker
     */
    public Breaker record(boolean failure, long nowMs, BreakerPolicy policy, boolean mayEject) {
        return switch (state) {
            case OPEN -> this; // results of tasks sent before the trip say nothing new
            case HALF_OPEN -> failure ? trip(nowMs, policy)
                    : probeSuccesses + 1 >= policy.probes() ? closed(workerId)
                    : new Breaker(workerId, state, outcomes, trips, openUntil, probesSent, probeSuccesses + 1);
            case CLOSED -> {
                List<Boolean> window = new ArrayList<>(outcomes);
                window.add(failure);
                while (window.size() > policy.windowSize()) {
                    window.remove(0);
                }
                Breaker next = new Breaker(workerId, state, window, trips, openUntil, 0, 0);
                yield next.failureRateReached(policy) && mayEject ? next.trip(nowMs, policy) : next;
            }
        };
    }

    /** OPEN becomes HALF_OPEN once its wait is over. */
    public Breaker tick(long nowMs) {
        if (state == BreakerState.OPEN && nowMs >= openUntil) {
            return new Breaker(workerId, BreakerState.HALF_OPEN, List.of(), trips, openUntil, 0, 0);
        }
        return this;
    }

    /** A task went to the worker; in HALF_OPEN it is a probe. */
    public Breaker sent() {
        return state == BreakerState.HALF_OPEN
                ? new Breaker(workerId, state, outcomes, trips, openUntil, probesSent + 1, probeSuccesses) : this;
    }

    /** Failure percentage of the window, or 0 before minimum calls. */
    public int failureRate(BreakerPolicy policy) {
        if (outcomes.size() < policy.minimumCalls()) {
            return 0;
        }
        long failures = outcomes.stream().filter(f -> f).count();
        return (int) (failures * 100 / outcomes.size());
    }

    private boolean failureRateReached(BreakerPolicy policy) {
        return outcomes.size() >= policy.minimumCalls() && failureRate(policy) >= policy.failureRateThreshold();
    }

    private Breaker trip(long nowMs, BreakerPolicy policy) {
        int nextTrips = trips + 1;
        return new Breaker(workerId, BreakerState.OPEN, List.of(), nextTrips, nowMs + policy.openMillis(nextTrips),
                0, 0);
    }
}
