package io.kdispatch.dispatcher.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.metrics.CapacityGauges;
import io.kdispatch.dispatcher.simulate.CapacityPlanner;
import io.kdispatch.dispatcher.simulate.SimConfig;
import io.kdispatch.dispatcher.simulate.Trace;
import io.kdispatch.dispatcher.simulate.TraceScenario;
import io.kdispatch.dispatcher.simulate.WorkerKind;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gauge's answer is simulate capacity's on the same trace, per kind; and it reaches /metrics. */
class CapacityEstimateTest {
    private static final long T0 = 1_750_000_000_000L;

    /** 20 s: gpu-1, gpu-2 (pool=gpu, 2 slots) and cpu-1 (pool=cpu, 4 slots); 40 tasks/s of 50 ms each kind. */
    static Trace trace(boolean withTasks) {
        List<Trace.Heartbeat> beats = new ArrayList<>();
        for (long t = 0; t <= 20_000; t += 1_000) {
            for (String w : List.of("cpu-1", "gpu-1", "gpu-2")) {
                beats.add(new Trace.Heartbeat(T0 + t, w, 1, "READY", w.startsWith("cpu") ? 4 : 2,
                        Map.of("pool", w.substring(0, 3)), 1.0, 100, 1_000, 0, 0));
            }
        }
        List<Trace.Submitted> tasks = new ArrayList<>();
        List<Trace.Result> results = new ArrayList<>();
        for (int i = 0; withTasks && i < 1_600; i++) {
            long at = T0 + i * 12L;
            String pool = i % 2 == 0 ? "gpu" : "cpu";
            tasks.add(new Trace.Submitted(at, pool + "-work", new io.kdispatch.dispatcher.simulate.Scenario.TaskSpec(
                    "t" + i, 0, Map.of("pool", pool), List.of(), Map.of(), null, null, 3, null)));
            String worker = pool.equals("cpu") ? "cpu-1" : (i % 4 == 0 ? "gpu-1" : "gpu-2");
            results.add(new Trace.Result(at + 60, "t" + i, worker, 1, 1, "SUCCEEDED", at + 5, 50));
        }
        return new Trace("test", T0, T0 + 20_000, 1, tasks, beats, results, List.of(), List.of());
    }

    private static CapacitySettings settings(String label) {
        return new CapacitySettings(Duration.ofMillis(200), Duration.ofSeconds(20), Duration.ofSeconds(5), label, 20);
    }

    @Test
    void eachKindGetsWhatSimulateCapacityAnswersForIt() {
        Map<String, Integer> needed = CapacityEstimate.of(trace(true), settings("pool"));
        assertThat(needed).containsOnlyKeys("cpu", "gpu");
        CapacityPlanner.Answer gpu = CapacityPlanner.plan(TraceScenario.of(trace(true), "x"),
                WorkerKind.parse("pool=gpu"), 200, 20, SimConfig.of("capacity", Map.of()), 1);
        assertThat(needed.get("gpu")).isEqualTo(gpu.needed()).isBetween(1, 4);
        assertThat(CapacityEstimate.of(trace(true), settings(""))).containsOnlyKeys("all");
    }

    @Test
    void noTaskNeedsNoWorkerAndNoHeartbeatNoAnswer() {
        assertThat(CapacityEstimate.of(trace(false), settings("pool"))).containsEntry("cpu", 0).containsEntry("gpu", 0);
        Trace silent = new Trace("t", T0, T0 + 1, 1, List.of(), List.of(), List.of(), List.of(), List.of());
        assertThat(CapacityEstimate.of(silent, settings("pool"))).isEmpty();
    }

    @Test
    void theMonitorPublishesEachEstimateAsTheGaugeAndKeepsTheLastOnAFailure() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        CapacityGauges gauges = new CapacityGauges(registry);
        List<Instant[]> asked = new ArrayList<>();
        boolean[] fail = {false};
        Clock clock = Clock.fixed(Instant.ofEpochMilli(T0 + 20_000), ZoneOffset.UTC);
        CapacityMonitor monitor = new CapacityMonitor(settings("pool"), (from, to) -> {
            asked.add(new Instant[] {from, to});
            if (fail[0]) {
                throw new IllegalStateException("broker down");
            }
            return trace(true);
        }, gauges::update, clock);
        monitor.estimate();
        assertThat(asked.get(0)).containsExactly(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + 20_000));
        String scrape = registry.scrape();
        assertThat(scrape).contains("kdispatch_workers_needed{kind=\"gpu\"} " + monitor.latest().get("gpu") + ".0",
                "kdispatch_workers_needed{kind=\"cpu\"}");
        fail[0] = true;
        monitor.estimate();
        assertThat(registry.scrape()).isEqualTo(scrape);
        monitor.close();
    }

    @Test
    void settingsAreValidated() {
        assertThat(CapacitySettings.off().enabled()).isFalse();
        assertThatThrownBy(() -> new CapacitySettings(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMinutes(1), "", 10)).hasMessageContaining("capacity window must be from 10 s to 1 h");
        assertThatThrownBy(() -> new CapacitySettings(Duration.ofSeconds(1), Duration.ofMinutes(2),
                Duration.ofMinutes(1), "", 0)).hasMessageContaining("max workers must be from 1 to 10000");
    }
}
