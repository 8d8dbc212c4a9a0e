package io.kdispatch.dispatcher.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quota meters sum stream tasks' snapshots, drop closed ones and keep limits as the max. */
class QuotaMetersTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerDispatchMetrics metrics = new MicrometerDispatchMetrics(registry);

    private double gauge(String name, String... tags) {
        return registry.get(name).tags(tags).gauge().value();
    }

    @Test
    void inFlightIsSummedOverStreamTasksAndTheLimitIsTheMax() {
        metrics.quotaUse("2_0", List.of(new QuotaUse("tenant", "acme", 3, 12), new QuotaUse("tenant", "other", 1, 0)));
        metrics.quotaUse("2_1", List.of(new QuotaUse("tenant", "acme", 2, 12)));
        assertThat(gauge(MicrometerDispatchMetrics.QUOTA_IN_FLIGHT, "scope", "tenant", "name", "acme")).isEqualTo(5);
        assertThat(gauge(MicrometerDispatchMetrics.QUOTA_LIMIT, "scope", "tenant", "name", "acme")).isEqualTo(12);
        metrics.quotaUse("2_1", List.of()); // closed
        assertThat(gauge(MicrometerDispatchMetrics.QUOTA_IN_FLIGHT, "scope", "tenant", "name", "acme")).isEqualTo(3);
        metrics.quotaUse("2_0", List.of(new QuotaUse("tenant", "other", 4, 0))); // acme's quota removed
        assertThat(gauge(MicrometerDispatchMetrics.QUOTA_IN_FLIGHT, "scope", "tenant", "name", "acme")).isZero();
        assertThat(gauge(MicrometerDispatchMetrics.QUOTA_LIMIT, "scope", "tenant", "name", "acme")).isZero();
    }

    @Test
    void waitingIsByReasonAndWaitsArePerTenant() {
        metrics.waiting("2_0", Map.of("quota", 4L, "rate", 1L));
        metrics.waiting("2_1", Map.of("quota", 2L, "rate", 0L));
        assertThat(gauge(MicrometerDispatchMetrics.WAITING, "reason", "quota")).isEqualTo(6);
        metrics.waiting("2_0", Map.of());
        assertThat(gauge(MicrometerDispatchMetrics.WAITING, "reason", "quota")).isEqualTo(2);
        metrics.waited("acme", 120);
        metrics.waited("acme", 0);
        assertThat(registry.get(MicrometerDispatchMetrics.TENANT_WAIT).tags("tenant", "acme").timer().count())
                .isEqualTo(2);
    }
}
