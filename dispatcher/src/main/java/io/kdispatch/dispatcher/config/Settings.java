package io.kdispatch.dispatcher.config;

import static io.kdispatch.dispatcher.config.SettingType.bool;
import static io.kdispatch.dispatcher.config.SettingType.integer;
import static io.kdispatch.dispatcher.config.SettingType.longInt;

import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.control.WorkerControl;
import io.kdispatch.dispatcher.health.LivenessPolicy;
import io.kdispatch.dispatcher.quota.Fairness;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.Tenancy;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.dispatcher.topology.HealthSettings;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerIds;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;

/**
 * The catalogue of dispatcher settings: every key declared once, with its type, accepted range, default,
 * documentation and whether the control topic may change it at run time. Derived from it: the
 * {@link ConfigDef} that {@link DispatcherConfigParser} parses with, the validation and normalization of
 * control records ({@code control.ControlKeys}), and the README's configuration and run-time control tables
 * ({@link SettingsReference}, checked by a test). Ranges come from the bound constants of the records that
 * use the values (e.g. {@link BreakerPolicy#MAX_WINDOW}), so whatever is accepted here builds them.
 */
public final class Settings {
    /** Keys starting with this go to Kafka Streams (and its clients) without the prefix. */
    public static final String STREAMS_PREFIX = "streams.";
    /** The value of {@link #ROUTING_AB_STRATEGY} that switches the split off. */
    public static final String NONE = "none";
    /** Longest task type a {@code tasktype.<type>.paused} key names. */
    public static final int MAX_TASK_TYPE_LENGTH = 200;
    /** Longest feature-flag name. */
    public static final int MAX_FLAG_LENGTH = 100;
    private static final Pattern FLAG_NAME = Pattern.compile("[a-zA-Z0-9._-]{1," + MAX_FLAG_LENGTH + "}");

    public static final Setting<String> BOOTSTRAP_SERVERS = Setting.required("bootstrap.servers", text(),
            "Kafka bootstrap servers (host:port,...); `run --bootstrap-servers`.");
    public static final Setting<String> REGISTRY_URL = Setting.required(SerdeConfig.REGISTRY_URL, text(),
            "Confluent-compatible schema registry URL; `mock://scope` is an in-memory registry for tests.");
    public static final Setting<String> REGISTRY_USER_INFO = Setting.of(SerdeConfig.BASIC_AUTH_USER_INFO,
            SettingType.text(true), null, "`user:password` for the registry's basic auth.");
    public static final Setting<String> REGISTRY_TOKEN = Setting.of(SerdeConfig.BEARER_AUTH_TOKEN,
            SettingType.text(true), null, "Bearer token for the registry.");
    public static final Setting<Long> REGISTRY_RETRY_TIMEOUT_MS = Setting.of(SerdeConfig.RETRY_TIMEOUT_MS,
            millis(Duration.ZERO, Duration.ofMinutes(10)), SerdeConfig.DEFAULT_RETRY_TIMEOUT.toMillis(),
            "How long a registry that does not answer (or answers 408, 429, 5xx) is retried before a record waits "
                    + "for the next try; never a dead letter. 0 fails at once.").withImportance(Importance.LOW);
    public static final Setting<String> SERDE_PROVIDER = Setting.of(SerdeConfig.PROVIDER_CLASS, text(), null,
            "Class implementing `io.kdispatch.schemas.serde.SerdeProvider`, to replace the registry Avro serde.")
            .withImportance(Importance.LOW);
    public static final Setting<String> ADMIN_TOKEN = Setting.of("admin.token", SettingType.text(true), null,
            "Bearer token that `PUT`/`POST /config` must present (`run --admin-token`); without it the admin "
                    + "endpoint refuses writes.");
    public static final Setting<String> APPLICATION_ID = Setting.of("application.id", text(),
            DispatcherConfig.DEFAULT_APPLICATION_ID,
            "Kafka Streams application ID; instances with the same ID share the work.").withImportance(Importance.HIGH);
    public static final Setting<Boolean> EXACTLY_ONCE = Setting.of("processing.guarantee",
            SettingType.choice(List.of(true, false), eos -> eos ? "exactly_once_v2" : "at_least_once",
                    Settings::guarantee), true,
            "`exactly_once_v2`: one assignment per task attempt even across crashes; `at_least_once`: faster.");
    public static final Setting<Integer> STREAM_THREADS = Setting.of("num.stream.threads",
            integer(1, DispatcherConfig.MAX_STREAM_THREADS), 1, "Kafka Streams threads per instance.");
    public static final Setting<String> STATE_DIR = Setting.of("state.dir", text(),
            Path.of(System.getProperty("java.io.tmpdir"), "kdispatch-state").toString(),
            "Kafka Streams state directory.").withShownDefault("`<tmp>/kdispatch-state`");
    public static final Setting<String> TOPIC_PREFIX = Setting.of("topic.prefix", text(), Topics.DEFAULT_PREFIX,
            "Prefix of every topic name: `<prefix>.tasks`, `<prefix>.results`, `<prefix>.worker.<id>`, ...");
    public static final Setting<Integer> TOPIC_PARTITIONS = Setting.of("topic.partitions",
            integer(1, TopicLayout.MAX_PARTITIONS), TopicLayout.DEFAULT_PARTITIONS,
            "Partitions of intake, results and dead-letter topics when created.");
    public static final Setting<Short> TOPIC_REPLICATION = Setting.of("topic.replication.factor",
            SettingType.shortInt((short) 1, TopicLayout.MAX_REPLICATION, TopicLayout.BROKER_DEFAULT_REPLICATION),
            TopicLayout.BROKER_DEFAULT_REPLICATION, "Replication of created topics; -1 takes the broker default.");
    public static final Setting<Long> SUSPECT_AFTER_MS = Setting.of("liveness.suspect.after.ms", silence(),
            LivenessPolicy.DEFAULT_SUSPECT_AFTER.toMillis(), "Heartbeat silence after which a worker gets no new tasks.");
    public static final Setting<Long> DEAD_AFTER_MS = Setting.of("liveness.dead.after.ms", silence(),
            LivenessPolicy.DEFAULT_DEAD_AFTER.toMillis(),
            "Heartbeat silence after which its tasks are re-dispatched; longer than `liveness.suspect.after.ms`.");
    public static final Setting<Long> TICK_INTERVAL_MS = Setting.of("tick.interval.ms",
            millis(DispatcherConfig.MIN_TICK_INTERVAL, DispatcherConfig.MAX_TICK_INTERVAL),
            DispatcherConfig.DEFAULT_TICK_INTERVAL.toMillis(),
            "How often (wall clock) the worker view is re-judged and parked tasks retried.")
            .withImportance(Importance.LOW);
    public static final Setting<Long> LEASE_DURATION_MS = Setting.of("lease.duration.ms",
            millis(DispatcherConfig.MIN_LEASE_DURATION, DispatcherConfig.MAX_LEASE_DURATION),
            DispatcherConfig.DEFAULT_LEASE_DURATION.toMillis(),
            "How long a worker may hold a task without a result before it is re-dispatched.");
    public static final Setting<Strategy> ROUTING_STRATEGY = Setting.of("routing.strategy",
            SettingType.choice(List.of(Strategy.values()), Strategy::label, Strategy::parse),
            RoutingConfig.defaults().strategy(), "Strategy for tasks without a sticky worker or an affinity key.")
            .withImportance(Importance.HIGH).atRunTime();
    public static final Setting<Optional<Strategy>> ROUTING_AB_STRATEGY = Setting.of("routing.ab.strategy",
            SettingType.choice(abStrategies(), ab -> ab.map(Strategy::label).orElse(NONE), Settings::abStrategy),
            Optional.empty(), "Second strategy of an A/B split; `none` switches the split off.").atRunTime();
    public static final Setting<Integer> ROUTING_AB_PERCENT = Setting.of("routing.ab.percent",
            integer(0, RoutingConfig.MAX_AB_PERCENT), 0,
            "Share of task IDs (by hash, so stable) routed by the A/B strategy.").atRunTime();
    public static final Setting<Double> ROUTING_BOUNDED_LOAD = Setting.of("routing.bounded.load.factor",
            SettingType.decimal(RoutingConfig.MIN_BOUNDED_LOAD_FACTOR, RoutingConfig.MAX_BOUNDED_LOAD_FACTOR),
            RoutingConfig.DEFAULT_BOUNDED_LOAD_FACTOR,
            "An idle affinity key moves off a full worker for load only while that worker carries more than "
                    + "this × the average load (see ARCHITECTURE.md, Affinity keys stay put).")
            .atRunTime();
    public static final Setting<Integer> ROUTING_PREFETCH = Setting.of("routing.prefetch",
            integer(0, RoutingConfig.MAX_PREFETCH), RoutingConfig.DEFAULT_PREFETCH,
            "The least credit: tasks a worker may hold beyond its capacity before results teach its round trip "
                    + "(see flow control); all of its credit for a worker that declares no queue.").atRunTime();
    public static final Setting<Boolean> DECISIONS_ENABLED = Setting.of("decisions.enabled", bool(), true,
            "Record every decision on the decisions topic (for `explain`).").withImportance(Importance.LOW);
    public static final Setting<Integer> BREAKER_WINDOW = Setting.of("breaker.window.size",
            integer(BreakerPolicy.MIN_WINDOW, BreakerPolicy.MAX_WINDOW), BreakerPolicy.DEFAULT_WINDOW,
            "Results per worker in each breaker's sliding window.");
    public static final Setting<Integer> BREAKER_MINIMUM_CALLS = Setting.of("breaker.minimum.calls",
            integer(1, BreakerPolicy.MAX_WINDOW), BreakerPolicy.DEFAULT_MINIMUM_CALLS,
            "Results needed before the failure rate is judged; at most `breaker.window.size`, which a run-time "
                    + "change stretches to hold it.").atRunTime();
    public static final Setting<Integer> BREAKER_FAILURE_RATE = Setting.of("breaker.failure.rate.threshold",
            integer(BreakerPolicy.MIN_FAILURE_RATE, BreakerPolicy.MAX_PERCENT), BreakerPolicy.DEFAULT_FAILURE_RATE,
            "Failure percentage (FAILED, REJECTED, slow) that opens a worker's breaker.").atRunTime();
    public static final Setting<Long> BREAKER_SLOW_CALL_MS = Setting.of("breaker.slow.call.ms",
            longInt(0, BreakerPolicy.MAX_SLOW_CALL_MS), BreakerPolicy.DEFAULT_SLOW_CALL_MS,
            "A result slower than this counts as a failure; 0 = off.").withImportance(Importance.LOW);
    public static final Setting<Long> BREAKER_OPEN_MS = Setting.of("breaker.open.duration.ms", openMillis(),
            BreakerPolicy.DEFAULT_OPEN_DURATION.toMillis(), "Wait before an open breaker lets probes through; doubles "
                    + "per consecutive trip; at most `breaker.max.open.duration.ms`, which a run-time change "
                    + "stretches to hold it.").atRunTime();
    public static final Setting<Long> BREAKER_MAX_OPEN_MS = Setting.of("breaker.max.open.duration.ms", openMillis(),
            BreakerPolicy.DEFAULT_MAX_OPEN_DURATION.toMillis(), "Cap of that wait.").withImportance(Importance.LOW);
    public static final Setting<Integer> BREAKER_PROBES = Setting.of("breaker.probes",
            integer(BreakerPolicy.MIN_PROBES, BreakerPolicy.MAX_PROBES), BreakerPolicy.DEFAULT_PROBES,
            "Probe tasks a half-open breaker lets through; all must succeed to close it.")
            .withImportance(Importance.LOW);
    public static final Setting<Integer> BREAKER_MAX_EJECTED = Setting.of("breaker.max.ejected.percent",
            integer(0, BreakerPolicy.MAX_PERCENT), BreakerPolicy.DEFAULT_MAX_EJECTED_PERCENT,
            "Most of the fleet ejected at once (a shared outage must not empty the fleet).").atRunTime();
    public static final Setting<Long> RETRY_BACKOFF_MS = Setting.of("retry.backoff.initial.ms", backoff(),
            HealthSettings.DEFAULT_RETRY_BACKOFF_INITIAL.toMillis(),
            "Wait before retrying a failed task on another worker; doubles per failure, with jitter.");
    public static final Setting<Long> RETRY_BACKOFF_MAX_MS = Setting.of("retry.backoff.max.ms", backoff(),
            HealthSettings.DEFAULT_RETRY_BACKOFF_MAX.toMillis(), "Cap of that wait; at least the initial wait.")
            .withImportance(Importance.LOW);
    public static final Setting<Integer> POISON_MAX_LOSSES = Setting.of("poison.max.losses",
            integer(1, HealthSettings.MAX_POISON_LOSSES), HealthSettings.DEFAULT_POISON_MAX_LOSSES,
            "A task lost this many times with a dead worker or an expired lease is dead-lettered as `POISON`.");
    public static final Setting<String> TENANT_HEADER = Setting.of("tenant.header", text(), Tenancy.DEFAULT_HEADER,
            "The task header that names a task's tenant (quotas, rate limits, metrics).");
    public static final Setting<String> TENANT_DEFAULT = Setting.of("tenant.default", text(), Tenancy.DEFAULT_TENANT,
            "The tenant of a task without that header, or with a blank one.");
    public static final Setting<Integer> QUOTA_KEY = Setting.of("quota.key.default", QuotaTypes.limit(), 0,
            "Tasks of one affinity key in flight at once (each key; exact: a key lives on one partition); 0 = no "
                    + "limit.").atRunTime();
    public static final Setting<QuotaLimits.OptionalRate> RATE_KEY = Setting.of("rate.key.default", QuotaTypes.rate(),
            QuotaLimits.OptionalRate.NONE, "Dispatches per second of one affinity key, `<per second>[:<burst>]`; "
                    + "`none` = no limit.").atRunTime();
    public static final Setting<Long> QUEUE_AGING_MS = Setting.of("queue.aging.ms",
            millis(Duration.ZERO, Fairness.MAX_AGING), Fairness.DEFAULT_AGING.toMillis(),
            "A task waiting this long goes ahead of its tenant's younger waiting tasks, whatever their priority "
                    + "(oldest first): the bound on a low-priority task's wait under high-priority load "
                    + "(ARCHITECTURE.md, Fair queuing); 0 = off.").atRunTime();

    /** Cordons, drains or re-activates one worker. */
    public static final ControlPattern<WorkerControl> WORKER_STATE = new ControlPattern<>("worker.", "id", ".state",
            WorkerIds.MAX_LENGTH, WorkerIds::isValid, "a worker ID, " + WorkerIds.SHAPE,
            SettingType.choice(List.of(WorkerControl.values()), WorkerControl::label, WorkerControl::parse),
            "`cordoned`: no new tasks; `draining`: no new tasks, about to leave; `active`: the default.");
    /** Pauses or resumes one task type. */
    public static final ControlPattern<Boolean> TASK_TYPE_PAUSED = new ControlPattern<>("tasktype.", "type",
            ".paused", MAX_TASK_TYPE_LENGTH, t -> !t.isBlank() && t.length() <= MAX_TASK_TYPE_LENGTH,
            "a task type, 1-" + MAX_TASK_TYPE_LENGTH + " characters, not blank", bool(),
            "`true`: tasks of the type wait (park) instead of being routed.");
    /** A feature flag. */
    public static final ControlPattern<Boolean> FLAG = new ControlPattern<>("flag.", "name", "", MAX_FLAG_LENGTH,
            n -> FLAG_NAME.matcher(n).matches(), FLAG_NAME.pattern(),
            bool(), "A feature flag; unset is `false`.");
    /** The in-flight limit of one tenant, fleet-wide (split over the partitions). */
    public static final ControlPattern<Integer> QUOTA_TENANT = QuotaTypes.pattern("quota.tenant.", "tenant",
            Tenancy.MAX_TENANT_LENGTH, QuotaTypes.limit(), "Tasks of the tenant in flight at once, fleet-wide (each "
                    + "partition enforces its share); 0 = no limit.");
    /** The in-flight limit of one task type, fleet-wide. */
    public static final ControlPattern<Integer> QUOTA_TYPE = QuotaTypes.pattern("quota.type.", "type",
            MAX_TASK_TYPE_LENGTH, QuotaTypes.limit(), "Tasks of the type in flight at once, fleet-wide (each "
                    + "partition enforces its share); 0 = no limit.");
    /** The dispatch rate of one tenant, fleet-wide. */
    public static final ControlPattern<QuotaLimits.OptionalRate> RATE_TENANT = QuotaTypes.pattern("rate.tenant.",
            "tenant", Tenancy.MAX_TENANT_LENGTH, QuotaTypes.rate(), "Dispatches per second of the tenant, fleet-wide, "
                    + "`<per second>[:<burst>]`; `none` = no limit.");
    /** The dispatch rate of one task type, fleet-wide. */
    public static final ControlPattern<QuotaLimits.OptionalRate> RATE_TYPE = QuotaTypes.pattern("rate.type.", "type",
            MAX_TASK_TYPE_LENGTH, QuotaTypes.rate(), "Dispatches per second of the type, fleet-wide, "
                    + "`<per second>[:<burst>]`; `none` = no limit.");
    /** The weight of one tenant when tasks wait: tenants take turns in proportion to their weights. */
    public static final ControlPattern<Integer> FAIR_WEIGHT = QuotaTypes.pattern("fair.weight.", "tenant",
            Tenancy.MAX_TENANT_LENGTH, integer(1, Fairness.MAX_WEIGHT), "The tenant's weight when tasks wait: "
                    + "tenants with waiting tasks take turns in proportion to their weights (default "
                    + Fairness.DEFAULT_WEIGHT + ").");

    /** Every setting, in the order the documentation lists them. */
    public static final List<Setting<?>> ALL = List.of(BOOTSTRAP_SERVERS, REGISTRY_URL, REGISTRY_USER_INFO,
            REGISTRY_TOKEN, REGISTRY_RETRY_TIMEOUT_MS, SERDE_PROVIDER, ADMIN_TOKEN, APPLICATION_ID, EXACTLY_ONCE, STREAM_THREADS, STATE_DIR, TOPIC_PREFIX,
            TOPIC_PARTITIONS, TOPIC_REPLICATION, SUSPECT_AFTER_MS, DEAD_AFTER_MS, TICK_INTERVAL_MS, LEASE_DURATION_MS,
            ROUTING_STRATEGY, ROUTING_AB_STRATEGY, ROUTING_AB_PERCENT, ROUTING_BOUNDED_LOAD, ROUTING_PREFETCH,
            DECISIONS_ENABLED, BREAKER_WINDOW, BREAKER_MINIMUM_CALLS, BREAKER_FAILURE_RATE, BREAKER_SLOW_CALL_MS,
            BREAKER_OPEN_MS, BREAKER_MAX_OPEN_MS, BREAKER_PROBES, BREAKER_MAX_EJECTED, RETRY_BACKOFF_MS,
            RETRY_BACKOFF_MAX_MS, POISON_MAX_LOSSES, TENANT_HEADER, TENANT_DEFAULT, QUOTA_KEY, RATE_KEY,
            QUEUE_AGING_MS);
    /** Every patterned control key. */
    public static final List<ControlPattern<?>> PATTERNS = List.of(WORKER_STATE, TASK_TYPE_PAUSED, FLAG,
            QUOTA_TENANT, QUOTA_TYPE, RATE_TENANT, RATE_TYPE, FAIR_WEIGHT);
    /** The patterned keys the start-up configuration accepts too (the base the control topic overrides). */
    public static final List<ControlPattern<?>> STARTUP_PATTERNS = List.of(QUOTA_TENANT, QUOTA_TYPE, RATE_TENANT,
            RATE_TYPE, FAIR_WEIGHT);

    private static final Map<String, Setting<?>> BY_KEY = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Setting::key, Function.identity()));
    private static final ConfigDef DEFINITION = definition();

    private Settings() {
    }

    /** The setting with {@code key}, or null. */
    public static Setting<?> byKey(String key) {
        return BY_KEY.get(key);
    }

    /** The settings the control topic may change, in documentation order. */
    public static List<Setting<?>> runtime() {
        return ALL.stream().filter(Setting::runtime).toList();
    }

    /** Every key the control topic accepts, as shapes ({@code worker.<id>.state}), for help and error texts. */
    public static List<String> controlKeyShapes() {
        List<String> shapes = new ArrayList<>(runtime().stream().map(Setting::key).toList());
        PATTERNS.forEach(p -> shapes.add(p.shape()));
        return shapes;
    }

    /** The Kafka {@link ConfigDef} of every setting, for parsing start-up configuration. */
    public static ConfigDef configDef() {
        return new ConfigDef(DEFINITION);
    }

    private static ConfigDef definition() {
        ConfigDef def = new ConfigDef();
        ALL.forEach(s -> s.defineIn(def));
        return def;
    }

    private static SettingType<String> text() {
        return SettingType.text(false);
    }

    private static SettingType<Long> millis(Duration min, Duration max) {
        return longInt(min.toMillis(), max.toMillis());
    }

    private static SettingType<Long> silence() {
        return millis(LivenessPolicy.MIN_SILENCE, LivenessPolicy.MAX_SILENCE);
    }

    private static SettingType<Long> openMillis() {
        return longInt(BreakerPolicy.MIN_OPEN_MS, BreakerPolicy.MAX_OPEN_MS);
    }

    private static SettingType<Long> backoff() {
        return millis(Duration.ZERO, HealthSettings.MAX_RETRY_BACKOFF);
    }

    private static List<Optional<Strategy>> abStrategies() {
        List<Optional<Strategy>> all = new ArrayList<>(List.of(Optional.empty()));
        Arrays.stream(Strategy.values()).forEach(s -> all.add(Optional.of(s)));
        return all;
    }

    /** {@code none} (or nothing, as older configuration files write it) switches the split off. */
    private static Optional<Strategy> abStrategy(String text) {
        return text.isEmpty() || NONE.equalsIgnoreCase(text) ? Optional.empty() : Optional.of(Strategy.parse(text));
    }

    private static Boolean guarantee(String text) {
        return switch (text) {
            case "exactly_once_v2" -> true;
            case "at_least_once" -> false;
            default -> throw new IllegalArgumentException("expected exactly_once_v2 or at_least_once");
        };
    }
}
