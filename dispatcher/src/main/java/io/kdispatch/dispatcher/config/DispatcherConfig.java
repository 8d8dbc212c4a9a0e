package io.kdispatch.dispatcher.config;

import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.dispatcher.topology.TopologySettings;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The dispatcher's typed, validated configuration. Built once at the edge (from a properties file
 * and command-line flags, see {@link DispatcherConfigParser}); nothing past the edge sees raw
 * properties.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param serdes schema-registry serde settings
 * @param topics topic names (all derived from one prefix)
 * @param applicationId Kafka Streams application ID; instances with the same ID share the work
 * @param exactlyOnce {@code exactly_once_v2} when true (default), {@code at_least_once} otherwise
 * @param streamThreads Kafka Streams threads per instance
 * @param stateDir Kafka Streams state directory
 * @param topicLayout partition counts and replication for the topics the dispatcher creates
 * @param liveness when silent workers become suspect and dead
 * @param tickInterval how often (wall clock) the worker view is re-judged and parked tasks retried
 * @param leaseDuration how long a worker may hold a task without a result before it is re-dispatched
 * @param routing routing strategy, A/B split, bounded-load factor and prefetch
 * @param decisions whether every routing decision is written to the decisions topic (for explain)
 * @param health breaker, retry-backoff and poison settings
 * @param streamsOverrides extra Kafka Streams/client properties, passed through verbatim to Kafka Streams;
 *     the ones every Kafka client understands also reach the dispatcher's other clients, see
 *     {@link #clientOverrides()}
 * @param quotas the tenant rule and the quotas and rate limits of the configuration
 */
public record DispatcherConfig(String bootstrapServers, SerdeConfig serdes, Topics topics, String applicationId,
                               boolean exactlyOnce, int streamThreads, Path stateDir, TopicLayout topicLayout,
                               LivenessPolicy liveness, Duration tickInterval, Duration leaseDuration,
                               RoutingConfig routing, boolean decisions, HealthSettings health,
                               Map<String, String> streamsOverrides, QuotaSettings quotas) {
    public static final String DEFAULT_APPLICATION_ID = "kdispatch-dispatcher";
    public static final Duration DEFAULT_TICK_INTERVAL = Duration.ofMillis(200);
    public static final Duration DEFAULT_LEASE_DURATION = Duration.ofMinutes(5);
    public static final int MAX_STREAM_THREADS = 64;
    public static final Duration MIN_TICK_INTERVAL = Duration.ofMillis(10);
    public static final Duration MAX_TICK_INTERVAL = Duration.ofSeconds(10);
    /** Shortest lease accepted. */
    public static final Duration MIN_LEASE_DURATION = Duration.ofSeconds(1);
    /** Longest lease; lease deadlines are computed as now plus the lease and must not overflow. */
    public static final Duration MAX_LEASE_DURATION = Duration.ofDays(7);

    public DispatcherConfig {
        requireText(bootstrapServers, "bootstrap.servers");
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(topics, "topics");
        requireText(applicationId, "application.id");
        if (streamThreads < 1 || streamThreads > MAX_STREAM_THREADS) {
            throw new IllegalArgumentException("num.stream.threads must be between 1 and " + MAX_STREAM_THREADS
                    + ", was " + streamThreads);
        }
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(topicLayout, "topicLayout");
        Objects.requireNonNull(liveness, "liveness");
        if (tickInterval.compareTo(MIN_TICK_INTERVAL) < 0 || tickInterval.compareTo(MAX_TICK_INTERVAL) > 0) {
            throw new IllegalArgumentException("tick interval must be between " + MIN_TICK_INTERVAL + " and "
                    + MAX_TICK_INTERVAL + ", was " + tickInterval);
        }
        if (leaseDuration.compareTo(MIN_LEASE_DURATION) < 0 || leaseDuration.compareTo(MAX_LEASE_DURATION) > 0) {
            throw new IllegalArgumentException("lease duration must be between " + MIN_LEASE_DURATION + " and "
                    + MAX_LEASE_DURATION + ", was " + leaseDuration);
        }
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(health, "health");
        streamsOverrides = Map.copyOf(streamsOverrides);
        Objects.requireNonNull(quotas, "quotas");
    }

    /** Defaults for everything but the cluster and the registry. */
    public static DispatcherConfig defaults(String bootstrapServers, SerdeConfig serdes, Path stateDir) {
        return new DispatcherConfig(bootstrapServers, serdes, Topics.defaults(), DEFAULT_APPLICATION_ID, true, 1,
                stateDir, TopicLayout.defaults(), LivenessPolicy.defaults(), DEFAULT_TICK_INTERVAL,
                DEFAULT_LEASE_DURATION, RoutingConfig.defaults(), true, HealthSettings.defaults(), Map.of(),
                QuotaSettings.DEFAULTS);
    }

    /** A copy with another application ID (tests use a unique one per run). */
    public DispatcherConfig withApplicationId(String id) {
        return new DispatcherConfig(bootstrapServers, serdes, topics, id, exactlyOnce, streamThreads, stateDir,
                topicLayout, liveness, tickInterval, leaseDuration, routing, decisions, health,
                streamsOverrides, quotas);
    }

    /** A copy with other topics. */
    public DispatcherConfig withTopics(Topics newTopics) {
        return new DispatcherConfig(bootstrapServers, serdes, newTopics, applicationId, exactlyOnce, streamThreads,
                stateDir, topicLayout, liveness, tickInterval, leaseDuration, routing, decisions, health,
                streamsOverrides, quotas);
    }

    /** A copy with extra Kafka Streams properties. */
    public DispatcherConfig withStreamsOverrides(Map<String, String> overrides) {
        return new DispatcherConfig(bootstrapServers, serdes, topics, applicationId, exactlyOnce, streamThreads,
                stateDir, topicLayout, liveness, tickInterval, leaseDuration, routing, decisions, health,
                overrides, quotas);
    }

    /** A copy with other routing settings. */
    public DispatcherConfig withRouting(RoutingConfig newRouting) {
        return new DispatcherConfig(bootstrapServers, serdes, topics, applicationId, exactlyOnce, streamThreads,
                stateDir, topicLayout, liveness, tickInterval, leaseDuration, newRouting, decisions,
                health, streamsOverrides, quotas);
    }

    /** A copy with other health settings. */
    public DispatcherConfig withHealth(HealthSettings newHealth) {
        return new DispatcherConfig(bootstrapServers, serdes, topics, applicationId, exactlyOnce, streamThreads,
                stateDir, topicLayout, liveness, tickInterval, leaseDuration, routing, decisions, newHealth,
                streamsOverrides, quotas);
    }

    /** A copy with other liveness and lease settings. */
    public DispatcherConfig withTimings(LivenessPolicy newLiveness, Duration newLease) {
        return new DispatcherConfig(bootstrapServers, serdes, topics, applicationId, exactlyOnce, streamThreads,
                stateDir, topicLayout, newLiveness, tickInterval, newLease, routing, decisions, health,
                streamsOverrides, quotas);
    }

    /** A copy with other quota settings. */
    public DispatcherConfig withQuotas(QuotaSettings newQuotas) {
        return new DispatcherConfig(bootstrapServers, serdes, topics, applicationId, exactlyOnce, streamThreads,
                stateDir, topicLayout, liveness, tickInterval, leaseDuration, routing, decisions, health,
                streamsOverrides, newQuotas);
    }

    /** A copy with another topic layout. */
    public DispatcherConfig withTopicLayout(TopicLayout layout) {
        return new DispatcherConfig(bootstrapServers, serdes, topics, applicationId, exactlyOnce, streamThreads,
                stateDir, layout, liveness, tickInterval, leaseDuration, routing, decisions, health,
                streamsOverrides, quotas);
    }

    /**
     * The {@link #streamsOverrides} that every Kafka client understands (security.protocol, sasl.*, ssl.*,
     * timeouts, ...), without bootstrap.servers and client.id: what the dispatcher's own admin client,
     * control-topic clients and lag monitor get, so that they authenticate like Kafka Streams does.
     */
    public Map<String, Object> clientOverrides() {
        return ClientOverrides.of(streamsOverrides);
    }

    /** The settings the topology needs. */
    public TopologySettings topologySettings() {
        return new TopologySettings(topics, serdes, liveness, tickInterval, leaseDuration, routing,
                topicLayout.partitions(), decisions, health, quotas);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
    }
}
