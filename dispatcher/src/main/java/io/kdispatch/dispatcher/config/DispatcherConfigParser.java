package io.kdispatch.dispatcher.config;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Parses the dispatcher's properties (file plus command-line overrides) into a {@link DispatcherConfig},
 * once, at the edge. Every key is declared with its type, default, range and documentation in one
 * {@link ConfigDef}, in the manner of {@code StreamsConfig}; {@link #reference()} renders the table the
 * README shows. Keys starting with {@code streams.} are passed to Kafka Streams without the prefix.
 */
public final class DispatcherConfigParser {
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String APPLICATION_ID = "application.id";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STREAM_THREADS = "num.stream.threads";
    public static final String STATE_DIR = "state.dir";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String TOPIC_PARTITIONS = "topic.partitions";
    public static final String TOPIC_REPLICATION = "topic.replication.factor";
    public static final String SUSPECT_AFTER_MS = "liveness.suspect.after.ms";
    public static final String DEAD_AFTER_MS = "liveness.dead.after.ms";
    public static final String TICK_INTERVAL_MS = "tick.interval.ms";
    public static final String LEASE_DURATION_MS = "lease.duration.ms";
    public static final String ROUTING_STRATEGY = "routing.strategy";
    public static final String ROUTING_AB_STRATEGY = "routing.ab.strategy";
    public static final String ROUTING_AB_PERCENT = "routing.ab.percent";
    public static final String ROUTING_BOUNDED_LOAD = "routing.bounded.load.factor";
    public static final String ROUTING_PREFETCH = "routing.prefetch";
    public static final String DECISIONS_ENABLED = "decisions.enabled";
    public static final String BREAKER_WINDOW = "breaker.window.size";
    public static final String BREAKER_MINIMUM_CALLS = "breaker.minimum.calls";
    public static final String BREAKER_FAILURE_RATE = "breaker.failure.rate.threshold";
    public static final String BREAKER_SLOW_CALL_MS = "breaker.slow.call.ms";
    public static final String BREAKER_OPEN_MS = "breaker.open.duration.ms";
    public static final String BREAKER_MAX_OPEN_MS = "breaker.max.open.duration.ms";
    public static final String BREAKER_PROBES = "breaker.probes";
    public static final String BREAKER_MAX_EJECTED = "breaker.max.ejected.percent";
    public static final String RETRY_BACKOFF_MS = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String POISON_MAX_LOSSES = "poison.max.losses";
    public static final String STREAMS_PREFIX = "streams.";

    static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Kafka bootstrap servers (host:port,...).")
            .define(SerdeConfig.REGISTRY_URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
                    "Confluent-compatible schema registry URL; mock://scope selects an in-memory registry (tests).")
            .define(SerdeConfig.BASIC_AUTH_USER_INFO, Type.PASSWORD, null, Importance.MEDIUM,
                    "user:password for the schema registry's basic auth.")
            .define(SerdeConfig.BEARER_AUTH_TOKEN, Type.PASSWORD, null, Importance.MEDIUM,
                    "Bearer token for the schema registry.")
            .define(SerdeConfig.PROVIDER_CLASS, Type.STRING, null, Importance.LOW,
                    "Class implementing io.kdispatch.schemas.serde.SerdeProvider, to replace the registry Avro serde.")
            .define(APPLICATION_ID, Type.STRING, DispatcherConfig.DEFAULT_APPLICATION_ID, Importance.HIGH,
                    "Kafka Streams application ID; dispatcher instances with the same ID share the work.")
            .define(PROCESSING_GUARANTEE, Type.STRING, "exactly_once_v2",
                    ConfigDef.ValidString.in("exactly_once_v2", "at_least_once"), Importance.MEDIUM,
                    "exactly_once_v2: one assignment per task attempt even across crashes; at_least_once: faster.")
            .define(STREAM_THREADS, Type.INT, 1, Range.between(1, 64), Importance.MEDIUM,
                    "Kafka Streams threads per dispatcher instance.")
            .define(STATE_DIR, Type.STRING, Path.of(System.getProperty("java.io.tmpdir"), "kdispatch-state")
                    .toString(), Importance.MEDIUM, "Directory for Kafka Streams state stores.")
            .define(TOPIC_PREFIX, Type.STRING, Topics.DEFAULT_PREFIX, Importance.MEDIUM,
                    "Prefix of every topic name: <prefix>.tasks, <prefix>.results, <prefix>.worker.<id>, ...")
            .define(TOPIC_PARTITIONS, Type.INT, TopicLayout.DEFAULT_PARTITIONS, Range.between(1, 10_000),
                    Importance.MEDIUM, "Partitions of the intake, results and dead-letter topics when created.")
            .define(TOPIC_REPLICATION, Type.SHORT, (short) -1, Importance.MEDIUM,
                    "Replication factor of created topics; -1 takes the broker default.")
            .define(SUSPECT_AFTER_MS, Type.LONG, LivenessPolicy.DEFAULT_SUSPECT_AFTER.toMillis(),
                    Range.atLeast(100), Importance.MEDIUM, "Heartbeat silence after which a worker gets no new tasks.")
            .define(DEAD_AFTER_MS, Type.LONG, LivenessPolicy.DEFAULT_DEAD_AFTER.toMillis(), Range.atLeast(200),
                    Importance.MEDIUM, "Heartbeat silence after which a worker's tasks are re-dispatched.")
            .define(TICK_INTERVAL_MS, Type.LONG, DispatcherConfig.DEFAULT_TICK_INTERVAL.toMillis(),
                    Range.between(10, 10_000), Importance.LOW,
                    "How often the worker view is re-judged and parked tasks retried (wall clock).")
            .define(LEASE_DURATION_MS, Type.LONG, DispatcherConfig.DEFAULT_LEASE_DURATION.toMillis(),
                    Range.atLeast(1_000), Importance.MEDIUM,
                    "How long a worker may hold a task without a result before it is dispatched again.")
            .define(ROUTING_STRATEGY, Type.STRING, RoutingConfig.defaults().strategy().label(), Importance.HIGH,
                    "Strategy for tasks without an affinity key: consistent-hash, least-loaded, weighted, predictive "
                            + "or auto.")
            .define(ROUTING_AB_STRATEGY, Type.STRING, "", Importance.MEDIUM,
                    "Second strategy for an A/B split (empty: no split).")
            .define(ROUTING_AB_PERCENT, Type.INT, 0, Range.between(0, 100), Importance.MEDIUM,
                    "Percentage of task IDs (chosen by hash, so stable) routed by the A/B strategy.")
            .define(ROUTING_BOUNDED_LOAD, Type.DOUBLE, RoutingConfig.defaults().boundedLoadFactor(), Importance.MEDIUM,
                    "A key's worker is skipped for the next in its ranking when it carries more than this factor of "
                            + "the average load (1.0-10).")
            .define(ROUTING_PREFETCH, Type.INT, RoutingConfig.defaults().prefetch(), Range.between(0, 10_000),
                    Importance.MEDIUM, "Tasks a worker may hold beyond its capacity (queued in its topic).")
            .define(DECISIONS_ENABLED, Type.BOOLEAN, true, Importance.LOW,
                    "Write every routing decision to the decisions topic, which explain reads.")
            .define(BREAKER_WINDOW, Type.INT, 20, Range.between(1, 1_000), Importance.MEDIUM,
                    "Results per worker kept in each breaker's sliding window.")
            .define(BREAKER_MINIMUM_CALLS, Type.INT, 10, Range.between(1, 1_000), Importance.MEDIUM,
                    "Results needed before a breaker judges the failure rate.")
            .define(BREAKER_FAILURE_RATE, Type.INT, 50, Range.between(1, 100), Importance.MEDIUM,
                    "Failure percentage (FAILED, REJECTED, slow) that opens a worker's breaker.")
            .define(BREAKER_SLOW_CALL_MS, Type.LONG, 0L, Range.atLeast(0), Importance.LOW,
                    "A result slower than this counts as a failure; 0 turns slow-call detection off.")
            .define(BREAKER_OPEN_MS, Type.LONG, 5_000L, Range.atLeast(100), Importance.MEDIUM,
                    "Wait before an open breaker lets probes through; doubles with each consecutive trip.")
            .define(BREAKER_MAX_OPEN_MS, Type.LONG, 120_000L, Range.atLeast(100), Importance.LOW,
                    "Cap of the open wait.")
            .define(BREAKER_PROBES, Type.INT, 3, Range.between(1, 100), Importance.LOW,
                    "Probe tasks a half-open breaker lets through; all must succeed to close it.")
            .define(BREAKER_MAX_EJECTED, Type.INT, 50, Range.between(0, 100), Importance.MEDIUM,
                    "Most of the fleet that may be ejected (breaker not closed) at once.")
            .define(RETRY_BACKOFF_MS, Type.LONG, 200L, Range.atLeast(0), Importance.MEDIUM,
                    "Wait before retrying a failed task; doubles per failure, with jitter.")
            .define(RETRY_BACKOFF_MAX_MS, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    "Cap of the retry wait.")
            .define(POISON_MAX_LOSSES, Type.INT, 3, Range.between(1, 100), Importance.MEDIUM,
                    "A task lost this many times with a dead worker or an expired lease is dead-lettered (POISON).");

    private DispatcherConfigParser() {
    }

    /**
     * @throws IllegalArgumentException naming the offending key and the rule it breaks
     */
    public static DispatcherConfig parse(Map<String, String> properties) {
        Map<String, String> own = new HashMap<>();
        Map<String, String> streams = new HashMap<>();
        properties.forEach((k, v) -> {
            if (k.startsWith(STREAMS_PREFIX)) {
                streams.put(k.substring(STREAMS_PREFIX.length()), v);
            } else if (DEFINITION.names().contains(k)) {
                own.put(k, v);
            } else {
                throw new IllegalArgumentException("unknown configuration key '" + k + "'; Kafka Streams and client "
                        + "settings go under the '" + STREAMS_PREFIX + "' prefix");
            }
        });
        try {
            AbstractConfig c = new AbstractConfig(DEFINITION, own, false);
            SerdeConfig serdes = new SerdeConfig(c.getString(SerdeConfig.REGISTRY_URL),
                    password(c, SerdeConfig.BASIC_AUTH_USER_INFO), password(c, SerdeConfig.BEARER_AUTH_TOKEN), true,
                    c.getString(SerdeConfig.PROVIDER_CLASS), SerdeConfig.DEFAULT_REQUEST_TIMEOUT);
            return new DispatcherConfig(c.getString(BOOTSTRAP_SERVERS), serdes, new Topics(c.getString(TOPIC_PREFIX)),
                    c.getString(APPLICATION_ID), "exactly_once_v2".equals(c.getString(PROCESSING_GUARANTEE)),
                    c.getInt(STREAM_THREADS), Path.of(c.getString(STATE_DIR)),
                    new TopicLayout(c.getInt(TOPIC_PARTITIONS), c.getShort(TOPIC_REPLICATION)),
                    new LivenessPolicy(Duration.ofMillis(c.getLong(SUSPECT_AFTER_MS)),
                            Duration.ofMillis(c.getLong(DEAD_AFTER_MS))),
                    Duration.ofMillis(c.getLong(TICK_INTERVAL_MS)), Duration.ofMillis(c.getLong(LEASE_DURATION_MS)),
                    routing(c), c.getBoolean(DECISIONS_ENABLED), health(c), streams);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The configuration reference as a Markdown-friendly table (reStructuredText from ConfigDef). */
    public static String reference() {
        return DEFINITION.toRst();
    }

    private static HealthSettings health(AbstractConfig c) {
        return new HealthSettings(new BreakerPolicy(c.getInt(BREAKER_WINDOW), c.getInt(BREAKER_MINIMUM_CALLS),
                c.getInt(BREAKER_FAILURE_RATE), c.getLong(BREAKER_SLOW_CALL_MS),
                Duration.ofMillis(c.getLong(BREAKER_OPEN_MS)), Duration.ofMillis(c.getLong(BREAKER_MAX_OPEN_MS)),
                c.getInt(BREAKER_PROBES), c.getInt(BREAKER_MAX_EJECTED)),
                Duration.ofMillis(c.getLong(RETRY_BACKOFF_MS)), Duration.ofMillis(c.getLong(RETRY_BACKOFF_MAX_MS)),
                c.getInt(POISON_MAX_LOSSES));
    }

    private static RoutingConfig routing(AbstractConfig c) {
        String ab = c.getString(ROUTING_AB_STRATEGY);
        return new RoutingConfig(Strategy.parse(c.getString(ROUTING_STRATEGY)),
                ab == null || ab.isBlank() ? null : Strategy.parse(ab), c.getInt(ROUTING_AB_PERCENT),
                c.getDouble(ROUTING_BOUNDED_LOAD), c.getInt(ROUTING_PREFETCH));
    }

    private static String password(AbstractConfig c, String key) {
        var p = c.getPassword(key);
        return p == null ? null : p.value();
    }
}
