package io.kdispatch.dispatcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BreakerOverridesTest {
    @Test
    void noOverridesKeepTheBasePolicy() {
        assertThat(BreakerOverrides.NONE.apply(BreakerPolicy.defaults())).isEqualTo(BreakerPolicy.defaults());
    }

    @Test
    void overridesApplyAndStretchTheWindowAndCapSoThePolicyStaysValid() {
        BreakerPolicy p = new BreakerOverrides(80, 500, 600_000L, 10).apply(BreakerPolicy.defaults());
        assertThat(p.failureRateThreshold()).isEqualTo(80);
        assertThat(p.minimumCalls()).isEqualTo(500);
        assertThat(p.windowSize()).isEqualTo(500);
        assertThat(p.openDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.maxOpenDuration()).isEqualTo(Duration.ofMinutes(10));
        assertThat(p.maxEjectedPercent()).isEqualTo(10);
    }
}
