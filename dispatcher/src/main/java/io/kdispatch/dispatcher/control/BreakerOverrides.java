package io.kdispatch.dispatcher.control;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import java.time.Duration;

/**
 * Circuit-breaker thresholds set on the control topic; a null component means "not overridden, use
 * the dispatcher's own setting". Values are already validated by {@link ControlKeys}, within the ranges the
 * settings catalogue takes from {@link BreakerPolicy}'s own bounds.
 *
 * @param failureRateThreshold percentage of failed calls that opens a breaker, 1..100
 * @param minimumCalls calls in the window before the failure rate counts, 1..{@link BreakerPolicy#MAX_WINDOW}
 * @param openDurationMs how long an open breaker stays open, {@link BreakerPolicy#MIN_OPEN_MS} to
 *     {@link BreakerPolicy#MAX_OPEN_MS}
 * @param maxEjectedPercent largest share of the fleet breakers may eject at once, 0..100
 */
public record BreakerOverrides(Integer failureRateThreshold, Integer minimumCalls, Long openDurationMs,
                               Integer maxEjectedPercent) {
    /** Nothing overridden. */
    public static final BreakerOverrides NONE = new BreakerOverrides(null, null, null, null);

    /**
     * The base policy with these overrides applied. The window grows to hold the minimum calls (never past
     * {@link BreakerPolicy#MAX_WINDOW}, the top of their range), and the cap of the open wait grows to hold
     * the open duration (never past {@link BreakerPolicy#MAX_OPEN_MS}), so every accepted override yields a
     * valid policy: {@code ControlApplicationTest} applies every one over the whole range.
     */
    public BreakerPolicy apply(BreakerPolicy base) {
        int minimum = minimumCalls == null ? base.minimumCalls() : minimumCalls;
        Duration open = openDurationMs == null ? base.openDuration() : Duration.ofMillis(openDurationMs);
        return new BreakerPolicy(Math.max(base.windowSize(), minimum), minimum,
                failureRateThreshold == null ? base.failureRateThreshold() : failureRateThreshold,
                base.slowCallMs(), open, base.maxOpenDuration().compareTo(open) < 0 ? open : base.maxOpenDuration(),
                base.probes(), maxEjectedPercent == null ? base.maxEjectedPercent() : maxEjectedPercent);
    }
}
