package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * What the topology needs from the configuration.
 *
 * @param topics topic names
 * @param serdes serde settings for every Avro value (topics and stores)
 * @param liveness when silent workers become suspect and dead
 * @param tickInterval wall-clock interval of the worker-view punctuation
 * @param leaseDuration how long an attempt may run without a result before it is dispatched again
 * @param routing strategy, A/B split, bounded-load factor and prefetch
 * @param partitions partitions of the routing repartition topic; must equal the results topic's
 * @param decisions whether every routing decision is written to the decisions topic (for explain)
 * @param health breaker, retry and poison settings
 * @param quotas the tenant rule and the configured quotas and rate limits
 */
public record TopologySettings(Topics topics, SerdeConfig serdes, LivenessPolicy liveness, Duration tickInterval,
                               Duration leaseDuration, RoutingConfig routing, int partitions, boolean decisions,
                               HealthSettings health, QuotaSettings quotas) {
    /** Settings without quotas (the default tenant header). */
    public TopologySettings(Topics topics, SerdeConfig serdes, LivenessPolicy liveness, Duration tickInterval,
                            Duration leaseDuration, RoutingConfig routing, int partitions, boolean decisions,
                            HealthSettings health) {
        this(topics, serdes, liveness, tickInterval, leaseDuration, routing, partitions, decisions, health,
                QuotaSettings.DEFAULTS);
    }

    public TopologySettings {
        Objects.requireNonNull(quotas, "quotas");
        Objects.requireNonNull(topics, "topics");
        Objects.requireNonNull(serdes, "serdes");
        Objects.requireNonNull(liveness, "liveness");
        Objects.requireNonNull(tickInterval, "tickInterval");
        Objects.requireNonNull(leaseDuration, "leaseDuration");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(health, "health");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, was " + partitions);
        }
    }
}
