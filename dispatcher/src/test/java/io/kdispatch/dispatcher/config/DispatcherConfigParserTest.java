package io.kdispatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.quota.Rate;
import io.kdispatch.dispatcher.quota.Tenancy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DispatcherConfigParserTest {
    private static Map<String, String> required() {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", "k:9092");
        props.put("schema.registry.url", "mock://parser");
        return props;
    }

    @Test
    void onlyTheRequiredKeysGiveTheDocumentedDefaults() {
        DispatcherConfig c = DispatcherConfigParser.parse(required());
        DispatcherConfig defaults = DispatcherConfig.defaults("k:9092", c.serdes(), c.stateDir());
        assertThat(c).usingRecursiveComparison().isEqualTo(defaults);
        assertThat(c.stateDir()).isEqualTo(Path.of(System.getProperty("java.io.tmpdir"), "kdispatch-state"));
    }

    @Test
    void everySettingReachesTheTypedConfig() {
        Map<String, String> p = required();
        p.putAll(Map.of("application.id", "app", "processing.guarantee", "at_least_once", "num.stream.threads", "3",
                "state.dir", "/tmp/s", "topic.prefix", "p", "topic.partitions", "12", "topic.replication.factor", "3",
                "liveness.suspect.after.ms", "1000", "liveness.dead.after.ms", "3000", "tick.interval.ms", "50"));
        p.putAll(Map.of("lease.duration.ms", "60000", "routing.strategy", "LEAST_LOADED", "routing.ab.strategy",
                "weighted", "routing.ab.percent", "10", "routing.bounded.load.factor", "2.5", "routing.prefetch", "0",
                "decisions.enabled", "false", "streams.commit.interval.ms", "20"));
        p.putAll(Map.of("breaker.window.size", "1000", "breaker.minimum.calls", "1000",
                "breaker.failure.rate.threshold", "100", "breaker.slow.call.ms", "86400000",
                "breaker.open.duration.ms", "100", "breaker.max.open.duration.ms", "86400000", "breaker.probes", "100",
                "breaker.max.ejected.percent", "0", "retry.backoff.initial.ms", "0", "retry.backoff.max.ms", "86400000"));
        p.put("poison.max.losses", "100");
        DispatcherConfig c = DispatcherConfigParser.parse(p);
        assertThat(c.applicationId()).isEqualTo("app");
        assertThat(c.exactlyOnce()).isFalse();
        assertThat(c.streamThreads()).isEqualTo(3);
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/s"));
        assertThat(c.topics().prefix()).isEqualTo("p");
        assertThat(c.topicLayout()).isEqualTo(new TopicLayout(12, (short) 3));
        assertThat(c.liveness()).isEqualTo(new LivenessPolicy(Duration.ofSeconds(1), Duration.ofSeconds(3)));
        assertThat(c.tickInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(c.leaseDuration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(c.routing()).isEqualTo(new RoutingConfig(Strategy.LEAST_LOADED, Strategy.WEIGHTED, 10, 2.5, 0));
        assertThat(c.decisions()).isFalse();
        assertThat(c.health()).isEqualTo(new HealthSettings(new BreakerPolicy(1000, 1000, 100, 86_400_000L,
                Duration.ofMillis(100), Duration.ofDays(1), 100, 0), Duration.ZERO, Duration.ofDays(1), 100));
        assertThat(c.streamsOverrides()).isEqualTo(Map.of("commit.interval.ms", "20"));
    }

    @Test
    void quotasAndTheTenantRuleComeFromTheConfiguration() {
        Map<String, String> p = required();
        p.putAll(Map.of("tenant.header", "x-tenant", "tenant.default", "shared", "quota.key.default", "2",
                "rate.key.default", "5:10", "quota.tenant.acme", "200", "quota.type.resize", "8",
                "rate.tenant.acme", "20:50", "rate.type.resize", "none"));
        QuotaSettings q = DispatcherConfigParser.parse(p).quotas();
        assertThat(q.tenancy()).isEqualTo(new Tenancy("x-tenant", "shared"));
        assertThat(q.limits()).isEqualTo(new QuotaLimits(Map.of("resize", 8), Map.of("acme", 200), 2, Map.of(),
                Map.of("acme", new Rate(20, 50)), new Rate(5, 10)));
        assertThat(DispatcherConfigParser.parse(required()).quotas()).isEqualTo(QuotaSettings.DEFAULTS);
    }

    @Test
    void aBadQuotaInTheConfigurationIsRefusedNamingItsKey() {
        for (Map.Entry<String, String> bad : Map.of("quota.tenant.acme", "many", "rate.type.x", "0:1",
                "quota.type.x", "-3", "quota.key.default", "2000000").entrySet()) {
            Map<String, String> p = required();
            p.put(bad.getKey(), bad.getValue());
            assertThatThrownBy(() -> DispatcherConfigParser.parse(p)).as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.getKey());
        }
    }

    @Test
    void anEmptyOrNoneAbStrategyMeansNoSplit() {
        for (String none : new String[] {"", "none", "NONE"}) {
            Map<String, String> p = required();
            p.put("routing.ab.strategy", none);
            assertThat(DispatcherConfigParser.parse(p).routing().abStrategy()).as("'%s'", none).isNull();
        }
    }

    @Test
    void aValueOutOfRangeIsRefusedNamingKeyAndRule() {
        Map<String, String> p = required();
        p.put("breaker.minimum.calls", "5000");
        assertThatThrownBy(() -> DispatcherConfigParser.parse(p)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid value 5000 for configuration breaker.minimum.calls: must be between 1 and 1000, "
                        + "was 5000");
        p.put("breaker.minimum.calls", "50");
        assertThatThrownBy(() -> DispatcherConfigParser.parse(p)).as("more than the window, which only control stretches")
                .hasMessageContaining("breaker minimum calls must be between 1 and the window size (20), was 50");
        p.remove("breaker.minimum.calls");
        p.put("routing.strategy", "fastest");
        assertThatThrownBy(() -> DispatcherConfigParser.parse(p))
                .hasMessageContaining("routing.strategy: unknown routing strategy 'fastest'");
        p.put("routing.strategy", "auto");
        p.put("topic.replication.factor", "0");
        assertThatThrownBy(() -> DispatcherConfigParser.parse(p))
                .hasMessageContaining("topic.replication.factor: must be between 1 and 32 or -1, was 0");
    }

    @Test
    void unknownAndControlOnlyKeysAreRefused() {
        for (String key : new String[] {"routing.strategi", "worker.w1.state"}) {
            Map<String, String> p = required();
            p.put(key, "x");
            assertThatThrownBy(() -> DispatcherConfigParser.parse(p))
                    .hasMessageStartingWith("unknown configuration key '" + key + "'");
        }
        assertThatThrownBy(() -> DispatcherConfigParser.parse(Map.of("schema.registry.url", "mock://x")))
                .hasMessageContaining("bootstrap.servers");
    }
}
