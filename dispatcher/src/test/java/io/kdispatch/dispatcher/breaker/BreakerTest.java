package io.kdispatch.dispatcher.breaker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One test per transition of the per-worker circuit breaker, with time moved by hand. */
class BreakerTest {
    private static final BreakerPolicy POLICY = new BreakerPolicy(10, 4, 50, 0, Duration.ofSeconds(1),
            Duration.ofSeconds(8), 2, 50);

    private static Breaker failures(Breaker b, int n, long now) {
        for (int i = 0; i < n; i++) {
            b = b.record(true, now, POLICY, true);
        }
        return b;
    }

    @Test
    void closedStaysClosedBelowTheMinimumCallsAndBelowTheThreshold() {
        assertThat(failures(Breaker.closed("w"), 3, 0).state()).as("below minimum calls")
                .isEqualTo(BreakerState.CLOSED);
        Breaker b = Breaker.closed("w").record(false, 0, POLICY, true).record(false, 0, POLICY, true)
                .record(false, 0, POLICY, true).record(false, 0, POLICY, true);
        b = failures(b, 3, 0);
        assertThat(b.failureRate(POLICY)).isEqualTo(42);
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.admits(POLICY)).isTrue();
    }

    @Test
    void closedTripsToOpenAtTheFailureRate() {
        Breaker b = failures(Breaker.closed("w"), 4, 1_000);
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        assertThat(b.openUntil()).isEqualTo(2_000);
        assertThat(b.admits(POLICY)).isFalse();
    }

    @Test
    void theEjectionCapKeepsItClosed() {
        Breaker b = Breaker.closed("w");
        for (int i = 0; i < 6; i++) {
            b = b.record(true, 0, POLICY, false);
        }
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(POLICY.mayEject(0, 2)).isTrue();
        assertThat(POLICY.mayEject(1, 2)).isFalse();
        assertThat(POLICY.mayEject(0, 1)).isFalse();
    }

    @Test
    void openTurnsHalfOpenOnlyWhenItsWaitIsOver() {
        Breaker b = failures(Breaker.closed("w"), 4, 0);
        assertThat(b.tick(999).state()).isEqualTo(BreakerState.OPEN);
        assertThat(b.record(false, 500, POLICY, true)).as("late results change nothing").isEqualTo(b);
        assertThat(b.tick(1_000).state()).isEqualTo(BreakerState.HALF_OPEN);
    }

    @Test
    void halfOpenLetsTheProbesThroughAndClosesWhenAllSucceed() {
        Breaker b = failures(Breaker.closed("w"), 4, 0).tick(1_000);
        assertThat(b.admits(POLICY)).isTrue();
        b = b.sent().sent();
        assertThat(b.admits(POLICY)).as("two probes out").isFalse();
        b = b.record(false, 1_100, POLICY, true);
        assertThat(b.state()).isEqualTo(BreakerState.HALF_OPEN);
        b = b.record(false, 1_200, POLICY, true);
        assertThat(b.state()).isEqualTo(BreakerState.CLOSED);
        assertThat(b.trips()).isZero();
    }

    @Test
    void aFailedProbeReopensForTwiceAsLongCappedAtTheMaximum() {
        Breaker b = failures(Breaker.closed("w"), 4, 0).tick(1_000).sent();
        b = b.record(true, 1_000, POLICY, true);
        assertThat(b.state()).isEqualTo(BreakerState.OPEN);
        assertThat(b.trips()).isEqualTo(2);
        assertThat(b.openUntil()).isEqualTo(3_000);
        assertThat(POLICY.openMillis(10)).isEqualTo(8_000);
    }

    @Test
    void transitionsAreChecked() {
        assertThat(BreakerState.CLOSED.canTransitionTo(BreakerState.OPEN)).isTrue();
        assertThat(BreakerState.OPEN.canTransitionTo(BreakerState.HALF_OPEN)).isTrue();
        assertThat(BreakerState.HALF_OPEN.canTransitionTo(BreakerState.CLOSED)).isTrue();
        assertThat(BreakerState.HALF_OPEN.canTransitionTo(BreakerState.OPEN)).isTrue();
        assertThat(BreakerState.CLOSED.canTransitionTo(BreakerState.HALF_OPEN)).isFalse();
        assertThat(BreakerState.OPEN.canTransitionTo(BreakerState.CLOSED)).isFalse();
    }

    @Test
    void aPolicyRefusesNonsenseWithAnActionableMessage() {
        assertThatThrownBy(() -> new BreakerPolicy(10, 4, 0, 0, Duration.ofSeconds(1), Duration.ofSeconds(2), 1, 50))
                .hasMessage("failureRateThreshold must be between 1 and 100, was 0");
        assertThatThrownBy(() -> new BreakerPolicy(10, 11, 50, 0, Duration.ofSeconds(1), Duration.ofSeconds(2), 1,
                50)).hasMessageContaining("minimum calls");
    }
}
