package io.kdispatch.testkit;

import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.config.DispatcherConfigParser;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.testing.TopologyHarness;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.dispatcher.topology.TopologySettings;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Configures a {@link DispatcherTestKit}. Every default is the dispatcher's own (its settings catalogue);
 * {@link #properties} takes the same keys as the dispatcher's configuration file, so a test can run the
 * production routing configuration. Whatever the properties say about the cluster and the registry is
 * replaced: the kit runs without either, on a fresh in-memory registry scope. Routing decisions are always
 * recorded ({@code decisions.enabled} is forced on), since {@link DispatcherTestKit#explain} reads them.
 */
public final class DispatcherTestKitBuilder {
    private DispatcherConfig config = DispatcherConfigParser.parse(Map.of(
            "bootstrap.servers", "unused:9092", SerdeConfig.REGISTRY_URL, "mock://testkit"));
    private DispatchMetrics metrics = DispatchMetrics.NOOP;
    private Instant start = TopologyHarness.DEFAULT_START;

    DispatcherTestKitBuilder() {
    }

    /**
     * The dispatcher's configuration, as in its properties file (e.g. {@code routing.strategy},
     * {@code routing.bounded.load.factor}, {@code lease.duration.ms}), parsed and validated by the dispatcher's
     * own parser. Replaces everything set before.
     *
     * @throws IllegalArgumentException naming the offending key, as the dispatcher would at start-up
     */
    public DispatcherTestKitBuilder properties(Map<String, String> properties) {
        Map<String, String> all = new HashMap<>(properties);
        all.putIfAbsent("bootstrap.servers", "unused:9092");
        all.putIfAbsent(SerdeConfig.REGISTRY_URL, "mock://testkit");
        config = DispatcherConfigParser.parse(all);
        return this;
    }

    /** Routing strategy, A/B split, bounded-load factor and prefetch (default {@link RoutingConfig#defaults()}). */
    public DispatcherTestKitBuilder routing(RoutingConfig routing) {
        config = config.withRouting(Objects.requireNonNull(routing, "routing"));
        return this;
    }

    /** Breakers, retry backoff and the poison cap (default {@link HealthSettings#defaults()}). */
    public DispatcherTestKitBuilder health(HealthSettings health) {
        config = config.withHealth(Objects.requireNonNull(health, "health"));
        return this;
    }

    /** When silent workers become suspect and dead, and the lease of an attempt (defaults 2 s, 5 s, 5 min). */
    public DispatcherTestKitBuilder timings(LivenessPolicy liveness, Duration lease) {
        config = config.withTimings(Objects.requireNonNull(liveness, "liveness"), Objects.requireNonNull(lease, "lease"));
        return this;
    }

    /** Where the driven clock starts (default {@link TopologyHarness#DEFAULT_START}). */
    public DispatcherTestKitBuilder start(Instant start) {
        this.start = Objects.requireNonNull(start, "start");
        return this;
    }

    /** Receives the dispatcher's metric events, to assert on counts (default: none). */
    public DispatcherTestKitBuilder metrics(DispatchMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return this;
    }

    /** The kit, its topology built and its clock at {@link #start}. */
    public DispatcherTestKit build() {
        TopologySettings s = config.topologySettings();
        TopologySettings settings = new TopologySettings(s.topics(), SerdeConfig.of("mock://testkit-" + UUID.randomUUID()),
                s.liveness(), s.tickInterval(), s.leaseDuration(), s.routing(), s.partitions(), true, s.health());
        String guarantee = config.exactlyOnce() ? StreamsConfig.EXACTLY_ONCE_V2 : StreamsConfig.AT_LEAST_ONCE;
        return new DispatcherTestKit(new TopologyHarness(settings, metrics, guarantee, start));
    }
}
