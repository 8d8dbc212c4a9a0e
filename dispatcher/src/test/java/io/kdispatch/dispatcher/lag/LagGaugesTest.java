package io.kdispatch.dispatcher.lag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.metrics.LagGauges;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lag snapshots become the documented Prometheus series; settings are validated with usable messages. */
class LagGaugesTest {

    private static GroupLag group(String name, long... lags) {
        List<PartitionLag> rows = new java.util.ArrayList<>();
        for (int p = 0; p < lags.length; p++) {
            rows.add(new PartitionLag("t." + name, p, 10, 0, 10 + lags[p], lags[p], lags[p] == 0 ? 0 : 1_500L * (p + 1)));
        }
        return new GroupLag(name, "g-" + name, "t." + name, rows);
    }

    @Test
    void snapshotsBecomePrometheusGaugesAndVanishedWorkersLoseTheirSeries() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LagGauges gauges = new LagGauges(registry);
        gauges.update(new LagSnapshot(Instant.now(), group("intake", 3, 4),
                Map.of("w1", group("w1", 5, 0, 2), "w2", group("w2", 0))));
        String scrape = registry.scrape();
        assertThat(scrape).contains("kdispatch_worker_lag_records{worker=\"w1\"} 7.0",
                "kdispatch_worker_lag_records{worker=\"w2\"} 0.0",
                "kdispatch_worker_lag_oldest_age_seconds{worker=\"w1\"} 4.5",
                "kdispatch_intake_lag_records 7.0");

        gauges.update(new LagSnapshot(Instant.now(), group("intake"), Map.of("w2", group("w2", 1))));
        scrape = registry.scrape();
        assertThat(scrape).doesNotContain("worker=\"w1\"").contains("kdispatch_worker_lag_records{worker=\"w2\"} 1.0",
                "kdispatch_intake_lag_records 0.0");
        registry.close();
    }

    @Test
    void groupLagSumsPartitionsAndTakesTheOldestAge() {
        GroupLag g = group("w", 5, 0, 2);
        assertThat(g.lag()).isEqualTo(7);
        assertThat(g.oldestAgeSeconds()).isEqualTo(4.5);
        assertThat(new PartitionLag("t", 0, -1, 4, 9, 5, 0).next()).isEqualTo(4);
        assertThat(LagSnapshot.empty().intake().lag()).isZero();
    }

    @Test
    void settingsAreBoundedWithMessagesNamingTheSetting() {
        assertThat(LagSettings.defaults().interval()).isEqualTo(Duration.ofSeconds(5));
        assertThatThrownBy(() -> LagSettings.defaults().withInterval(Duration.ofMillis(5)))
                .hasMessageContaining("lag interval must be between 100 ms");
        assertThatThrownBy(() -> new LagSettings(Duration.ofSeconds(1), Duration.ZERO, Duration.ofSeconds(1)))
                .hasMessageContaining("lag request timeout");
    }
}
