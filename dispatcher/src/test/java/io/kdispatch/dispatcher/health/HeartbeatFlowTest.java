package io.kdispatch.dispatcher.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Defaults: suspect after 2 s, dead after 5 s. */
class HeartbeatFlowTest {
    private final HeartbeatFlow flow = new HeartbeatFlow(LivenessPolicy.defaults());

    @Test
    void whileHeartbeatsFlowADeadJudgementStands() {
        assertThat(flow.observe(9_500, 10_000)).isFalse();
        assertThat(flow.temper(Liveness.DEAD, Liveness.SUSPECT, 4_000, 10_000)).isEqualTo(Liveness.DEAD);
        assertThat(flow.temper(Liveness.READY, Liveness.READY, 9_500, 10_000)).isEqualTo(Liveness.READY);
    }

    @Test
    void aQuietInputMakesDeadSuspectExceptForWorkersSilentLongBeforeIt() {
        assertThat(flow.observe(10_000, 12_000)).as("quiet: 2 s without a heartbeat").isTrue();
        assertThat(flow.quiet()).isTrue();
        assertThat(flow.temper(Liveness.DEAD, Liveness.SUSPECT, 9_000, 40_000)).isEqualTo(Liveness.SUSPECT);
        assertThat(flow.temper(Liveness.DEAD, Liveness.SUSPECT, 5_000, 40_000)).as("silent 5 s before the quiet")
                .isEqualTo(Liveness.DEAD);
        assertThat(flow.temper(Liveness.DEAD, Liveness.DEAD, 9_000, 40_000)).as("already dead stays dead")
                .isEqualTo(Liveness.DEAD);
    }

    @Test
    void afterTheInputFlowsAgainDeadWaitsDeadAfter() {
        flow.observe(10_000, 12_000);
        assertThat(flow.observe(40_000, 40_000)).as("flowing again").isTrue();
        assertThat(flow.temper(Liveness.DEAD, Liveness.SUSPECT, 9_000, 44_999)).isEqualTo(Liveness.SUSPECT);
        assertThat(flow.temper(Liveness.DEAD, Liveness.SUSPECT, 9_000, 45_000)).isEqualTo(Liveness.DEAD);
    }

    @Test
    void anObserverBlindForSuspectAfterCountsTheGapAsQuiet() {
        flow.observe(9_800, 10_000);
        assertThat(flow.observe(21_000, 21_100)).as("no look for 11 s, then heartbeats read").isTrue();
        assertThat(flow.quiet()).isFalse();
        assertThat(flow.temper(Liveness.DEAD, Liveness.READY, 9_800, 21_100)).as("maybe not read yet")
                .isEqualTo(Liveness.SUSPECT);
        assertThat(flow.temper(Liveness.DEAD, Liveness.READY, 9_800, 26_100)).isEqualTo(Liveness.DEAD);
        assertThat(flow.temper(Liveness.DEAD, Liveness.READY, 4_000, 21_100)).as("silent long before the gap")
                .isEqualTo(Liveness.DEAD);
    }
}
