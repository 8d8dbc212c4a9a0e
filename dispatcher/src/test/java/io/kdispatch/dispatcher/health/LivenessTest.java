package io.kdispatch.dispatcher.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.health.LivenessPolicy.Announced;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivenessTest {
    private final LivenessPolicy policy = LivenessPolicy.defaults();

    @Test
    void aWorkerHeardFromRecentlyIsReadyOrDrainingAsItSays() {
        assertThat(policy.judge(Announced.READY, 1_000, 2_999)).isEqualTo(Liveness.READY);
        assertThat(policy.judge(Announced.DRAINING, 1_000, 2_000)).isEqualTo(Liveness.DRAINING);
        assertThat(policy.judge(Announced.LEAVING, 1_000, 1_000)).isEqualTo(Liveness.LEFT);
    }

    @Test
    void silenceMakesAWorkerSuspectThenDead() {
        assertThat(policy.judge(Announced.READY, 0, 2_000)).isEqualTo(Liveness.SUSPECT);
        assertThat(policy.judge(Announced.DRAINING, 0, 4_999)).isEqualTo(Liveness.SUSPECT);
        assertThat(policy.judge(Announced.READY, 0, 5_000)).isEqualTo(Liveness.DEAD);
    }

    @Test
    void onlyReadyAndJoiningWorkersAcceptWork() {
        assertThat(Liveness.READY.acceptsWork()).isTrue();
        assertThat(Liveness.JOINING.acceptsWork()).isTrue();
        for (Liveness l : new Liveness[] {Liveness.SUSPECT, Liveness.DEAD, Liveness.DRAINING, Liveness.LEFT}) {
            assertThat(l.acceptsWork()).as(l.name()).isFalse();
        }
    }

    @Test
    void transitionsAreChecked() {
        assertThat(Liveness.READY.canTransitionTo(Liveness.SUSPECT)).isTrue();
        assertThat(Liveness.SUSPECT.canTransitionTo(Liveness.DEAD)).isTrue();
        assertThat(Liveness.SUSPECT.canTransitionTo(Liveness.READY)).isTrue();
        assertThat(Liveness.DEAD.canTransitionTo(Liveness.READY)).isTrue();
        assertThat(Liveness.READY.canTransitionTo(Liveness.DRAINING)).isTrue();
        assertThat(Liveness.DRAINING.canTransitionTo(Liveness.LEFT)).isTrue();
        assertThat(Liveness.READY.canTransitionTo(Liveness.JOINING)).isFalse();
        assertThat(Liveness.LEFT.canTransitionTo(Liveness.DEAD)).isFalse();
        assertThat(Liveness.DEAD.canTransitionTo(Liveness.SUSPECT)).isFalse();
    }

    @Test
    void aPolicyRefusesNonsense() {
        assertThatThrownBy(() -> new LivenessPolicy(Duration.ofSeconds(5), Duration.ofSeconds(2)))
                .hasMessageContaining("must be longer than suspectAfter");
        assertThatThrownBy(() -> new LivenessPolicy(Duration.ZERO, Duration.ofSeconds(2)))
                .hasMessageContaining("must be between PT0.1S and PT24H");
        assertThatThrownBy(() -> new LivenessPolicy(Duration.ofSeconds(1), Duration.ofDays(2)))
                .hasMessageContaining("must be between PT0.1S and PT24H");
    }
}
