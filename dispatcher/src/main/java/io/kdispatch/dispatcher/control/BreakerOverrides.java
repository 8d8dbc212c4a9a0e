package io.kdispatch.dispatcher.control;

/**
 * Circuit-breaker thresholds set on the control topic; a null component means "not overridden, use
 * the dispatcher's own setting". Values are already validated by {@link ControlKeys}.
 *
 * @param failureRateThreshold percentage of failed calls that opens a breaker, 1..100
 * @param minimumCalls calls in the window before the failure rate counts, 1..10,000
 * @param openDurationMs how long an open breaker stays open, at least 100 ms
 * @param maxEjectedPercent largest share of the fleet breakers may eject at once, 0..100
 */
public record BreakerOverrides(Integer failureRateThreshold, Integer minimumCalls, Long openDurationMs,
                               Integer maxEjectedPercent) {
    /** Nothing overridden. */
    public static final BreakerOverrides NONE = new BreakerOverrides(null, null, null, null);
}
