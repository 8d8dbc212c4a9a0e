package io.kdispatch.dispatcher.config;

import static io.kdispatch.dispatcher.config.Settings.STREAMS_PREFIX;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.quota.Fairness;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.QuotaSettings;
import io.kdispatch.dispatcher.quota.Rate;
import io.kdispatch.dispatcher.quota.Scope;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;

/**
 * Parses the dispatcher's properties (file plus command-line overrides) into a {@link DispatcherConfig},
 * once, at the edge, with the {@link org.apache.kafka.common.config.ConfigDef} derived from the settings
 * catalogue ({@link Settings}). Keys starting with {@code streams.} are passed to Kafka Streams without the
 * prefix; the quota and rate patterns ({@link Settings#STARTUP_PATTERNS}) are accepted too; any other key the
 * catalogue does not declare is refused.
 */
public final class DispatcherConfigParser {
    private DispatcherConfigParser() {
    }

    /**
     * @throws IllegalArgumentException naming the offending key and the rule it breaks
     */
    public static DispatcherConfig parse(Map<String, String> properties) {
        Map<String, String> own = new HashMap<>();
        Map<String, String> streams = new HashMap<>();
        Map<String, String> patterned = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(STREAMS_PREFIX)) {
                streams.put(k.substring(STREAMS_PREFIX.length()), v);
            } else if (Settings.byKey(k) != null) {
                own.put(k, v);
            } else if (Settings.STARTUP_PATTERNS.stream().anyMatch(p -> p.matches(k))) {
                patterned.put(k, v);
            } else {
                throw new IllegalArgumentException("unknown configuration key '" + k + "'; Kafka Streams and client "
                        + "settings go under the '" + STREAMS_PREFIX + "' prefix");
            }
        });
        try {
            AbstractConfig c = new AbstractConfig(Settings.configDef(), own, false);
            return new DispatcherConfig(Settings.BOOTSTRAP_SERVERS.from(c), serdes(c),
                    new Topics(Settings.TOPIC_PREFIX.from(c)), Settings.APPLICATION_ID.from(c),
                    Settings.EXACTLY_ONCE.from(c), Settings.STREAM_THREADS.from(c),
                    Path.of(Settings.STATE_DIR.from(c)),
                    new TopicLayout(Settings.TOPIC_PARTITIONS.from(c), Settings.TOPIC_REPLICATION.from(c)),
                    new LivenessPolicy(millis(c, Settings.SUSPECT_AFTER_MS), millis(c, Settings.DEAD_AFTER_MS)),
                    millis(c, Settings.TICK_INTERVAL_MS), millis(c, Settings.LEASE_DURATION_MS), routing(c),
                    Settings.DECISIONS_ENABLED.from(c), health(c), streams, quotas(c, patterned));
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static SerdeConfig serdes(AbstractConfig c) {
        return new SerdeConfig(Settings.REGISTRY_URL.from(c), Settings.REGISTRY_USER_INFO.from(c),
                Settings.REGISTRY_TOKEN.from(c), true, Settings.SERDE_PROVIDER.from(c),
                SerdeConfig.DEFAULT_REQUEST_TIMEOUT, millis(c, Settings.REGISTRY_RETRY_TIMEOUT_MS));
    }

    private static HealthSettings health(AbstractConfig c) {
        BreakerPolicy breaker = new BreakerPolicy(Settings.BREAKER_WINDOW.from(c),
                Settings.BREAKER_MINIMUM_CALLS.from(c), Settings.BREAKER_FAILURE_RATE.from(c),
                Settings.BREAKER_SLOW_CALL_MS.from(c), millis(c, Settings.BREAKER_OPEN_MS),
                millis(c, Settings.BREAKER_MAX_OPEN_MS), Settings.BREAKER_PROBES.from(c),
                Settings.BREAKER_MAX_EJECTED.from(c));
        return new HealthSettings(breaker, millis(c, Settings.RETRY_BACKOFF_MS), millis(c, Settings.RETRY_BACKOFF_MAX_MS),
                Settings.POISON_MAX_LOSSES.from(c));
    }

    /**
     * The tenant rule, the configured quotas and the queue's fairness: {@code quota.key.default},
     * {@code rate.key.default}, {@code queue.aging.ms} and the patterned {@code quota.tenant.<tenant>},
     * {@code quota.type.<type>}, {@code rate.tenant.<tenant>}, {@code rate.type.<type>},
     * {@code fair.weight.<tenant>}, each validated like the control topic validates it.
     */
    private static QuotaSettings quotas(AbstractConfig c, Map<String, String> patterned) {
        Map<Scope, Map<String, Integer>> limits = new EnumMap<>(Scope.class);
        Map<Scope, Map<String, Rate>> rates = new EnumMap<>(Scope.class);
        for (Scope s : Scope.values()) {
            limits.put(s, new HashMap<>());
            rates.put(s, new HashMap<>());
        }
        Map<String, Integer> weights = new HashMap<>();
        patterned.forEach((key, text) -> {
            ControlPattern<?> pattern = Settings.STARTUP_PATTERNS.stream().filter(p -> p.matches(key)).findFirst()
                    .orElseThrow();
            Scope scope = pattern == Settings.QUOTA_TENANT || pattern == Settings.RATE_TENANT ? Scope.TENANT : Scope.TYPE;
            try {
                String name = pattern.nameIn(key);
                Object value = pattern.type().parse(text);
                if (pattern == Settings.FAIR_WEIGHT) {
                    weights.put(name, (Integer) value);
                } else if (value instanceof Integer limit) {
                    limits.get(scope).put(name, limit);
                } else if (((QuotaLimits.OptionalRate) value).rate() != null) {
                    rates.get(scope).put(name, ((QuotaLimits.OptionalRate) value).rate());
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("invalid configuration " + key + "=" + text + ": " + e.getMessage(), e);
            }
        });
        Tenancy tenancy = new Tenancy(Settings.TENANT_HEADER.from(c), Settings.TENANT_DEFAULT.from(c));
        return new QuotaSettings(tenancy, new QuotaLimits(limits.get(Scope.TYPE), limits.get(Scope.TENANT),
                Settings.QUOTA_KEY.from(c), rates.get(Scope.TYPE), rates.get(Scope.TENANT),
                Settings.RATE_KEY.from(c).rate()), new Fairness(weights, Settings.QUEUE_AGING_MS.from(c)));
    }

    private static RoutingConfig routing(AbstractConfig c) {
        return new RoutingConfig(Settings.ROUTING_STRATEGY.from(c), Settings.ROUTING_AB_STRATEGY.from(c).orElse(null),
                Settings.ROUTING_AB_PERCENT.from(c), Settings.ROUTING_BOUNDED_LOAD.from(c),
                Settings.ROUTING_PREFETCH.from(c));
    }

    private static Duration millis(AbstractConfig c, Setting<Long> setting) {
        return Duration.ofMillis(setting.from(c));
    }
}
