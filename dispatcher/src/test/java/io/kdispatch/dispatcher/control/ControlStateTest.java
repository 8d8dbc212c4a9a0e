package io.kdispatch.dispatcher.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControlStateTest {
    private static final RoutingConfig BASE = RoutingConfig.defaults().withAbSplit(Strategy.WEIGHTED, 20);

    @Test
    void noSettingsLeaveEveryDefault() {
        ControlState s = ControlState.EMPTY;
        assertThat(s.routing(BASE)).isSameAs(BASE);
        assertThat(s.cordoned("w1")).isFalse();
        assertThat(s.draining("w1")).isFalse();
        assertThat(s.excluded("w1")).isFalse();
        assertThat(s.paused("render")).isFalse();
        assertThat(s.flag("x")).isFalse();
        assertThat(s.breaker()).isEqualTo(BreakerOverrides.NONE);
    }

    @Test
    void routingOverridesApplyOverTheBase() {
        ControlState s = ControlState.of(Map.of("routing.strategy", "least-loaded", "routing.ab.percent", "50",
                "routing.bounded.load.factor", "2", "routing.prefetch", "7"));
        RoutingConfig r = s.routing(BASE);
        assertThat(r.strategy()).isEqualTo(Strategy.LEAST_LOADED);
        assertThat(r.abStrategy()).isEqualTo(Strategy.WEIGHTED);
        assertThat(r.abPercent()).isEqualTo(50);
        assertThat(r.boundedLoadFactor()).isEqualTo(2.0);
        assertThat(r.prefetch()).isEqualTo(7);
    }

    @Test
    void abStrategyNoneSwitchesTheSplitOffAndAnotherReplacesIt() {
        assertThat(ControlState.of(Map.of("routing.ab.strategy", "none")).routing(BASE).abStrategy()).isNull();
        RoutingConfig r = ControlState.of(Map.of("routing.ab.strategy", "predictive")).routing(BASE);
        assertThat(r.abStrategy()).isEqualTo(Strategy.PREDICTIVE);
        assertThat(r.abPercent()).isEqualTo(20);
    }

    @Test
    void workerStatesAreSeparateAndBothExcludeNewTasks() {
        ControlState s = ControlState.of(Map.of("worker.w1.state", "cordoned", "worker.w2.state", "draining",
                "worker.w3.state", "active"));
        assertThat(s.cordoned("w1")).isTrue();
        assertThat(s.draining("w1")).isFalse();
        assertThat(s.draining("w2")).isTrue();
        assertThat(s.cordoned("w2")).isFalse();
        assertThat(s.excluded("w1")).isTrue();
        assertThat(s.excluded("w2")).isTrue();
        assertThat(s.excluded("w3")).isFalse();
        assertThat(s.worker("w9")).isEqualTo(WorkerControl.ACTIVE);
        assertThat(s.workers()).containsOnlyKeys("w1", "w2", "w3");
    }

    @Test
    void pausedTypesFlagsAndBreakerOverridesAreRead() {
        ControlState s = ControlState.of(Map.of("tasktype.render.paused", "true", "tasktype.echo.paused", "false",
                "flag.a", "true", "flag.b", "false", "breaker.failure.rate.threshold", "30",
                "breaker.open.duration.ms", "2500"));
        assertThat(s.paused("render")).isTrue();
        assertThat(s.paused("echo")).isFalse();
        assertThat(s.pausedTaskTypes()).containsExactly("render");
        assertThat(s.flag("a")).isTrue();
        assertThat(s.flag("b")).isFalse();
        assertThat(s.breaker()).isEqualTo(new BreakerOverrides(30, null, 2500L, null));
    }

    @Test
    void invalidOrNullEntriesAreLeftOutAndReported() {
        Map<String, String> raw = new HashMap<>();
        raw.put("routing.strategy", "fastest");
        raw.put("worker.w1.state", null);
        raw.put("bogus", "1");
        raw.put("routing.prefetch", "3");
        ControlState s = ControlState.of(raw);
        assertThat(s.settings()).containsOnlyKeys("routing.prefetch");
        assertThat(s.invalid()).containsOnlyKeys("routing.strategy", "bogus");
        assertThat(s.invalid().get("routing.strategy")).contains("unknown routing strategy 'fastest'");
        assertThat(s.routing(BASE).strategy()).isEqualTo(BASE.strategy());
    }

    @Test
    void valuesAreCanonicalAndEqualityFollowsContent() {
        ControlState a = ControlState.of(Map.of("routing.strategy", "LEAST_LOADED"));
        ControlState b = ControlState.of(Map.of("routing.strategy", "least-loaded"));
        assertThat(a.settings()).containsEntry("routing.strategy", "least-loaded");
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    }
}
