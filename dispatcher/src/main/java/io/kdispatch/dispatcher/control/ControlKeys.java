package io.kdispatch.dispatcher.control;

import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import io.kdispatch.schemas.WorkerIds;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The keys of the control topic and the values each accepts. Every write is validated here before it
 * reaches the topic, and every dispatcher validates again on receipt, so a hand-written record cannot
 * break routing.
 *
 * <p>Values are normalized ({@link #normalize}): {@code LEAST_LOADED} becomes {@code least-loaded},
 * {@code TRUE} becomes {@code true}; a null value always means "back to the default". Stateless and
 * thread-safe.
 */
public final class ControlKeys {
    public static final String ROUTING_STRATEGY = "routing.strategy";
    /** {@code none} turns an A/B split off even when the dispatcher's own config sets one. */
    public static final String ROUTING_AB_STRATEGY = "routing.ab.strategy";
    public static final String ROUTING_AB_PERCENT = "routing.ab.percent";
    public static final String ROUTING_BOUNDED_LOAD_FACTOR = "routing.bounded.load.factor";
    public static final String ROUTING_PREFETCH = "routing.prefetch";
    public static final String BREAKER_FAILURE_RATE_THRESHOLD = "breaker.failure.rate.threshold";
    public static final String BREAKER_MINIMUM_CALLS = "breaker.minimum.calls";
    public static final String BREAKER_OPEN_DURATION_MS = "breaker.open.duration.ms";
    public static final String BREAKER_MAX_EJECTED_PERCENT = "breaker.max.ejected.percent";
    /** The value of {@link #ROUTING_AB_STRATEGY} that switches the split off. */
    public static final String NONE = "none";

    static final String WORKER_PREFIX = "worker.";
    static final String WORKER_SUFFIX = ".state";
    static final String TASK_TYPE_PREFIX = "tasktype.";
    static final String TASK_TYPE_SUFFIX = ".paused";
    static final String FLAG_PREFIX = "flag.";
    private static final Pattern FLAG_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,100}");
    private static final int MAX_TASK_TYPE_LENGTH = 200;

    /** Every accepted key shape, for help texts and error messages. */
    public static final List<String> SHAPES = List.of(ROUTING_STRATEGY, ROUTING_AB_STRATEGY, ROUTING_AB_PERCENT,
            ROUTING_BOUNDED_LOAD_FACTOR, ROUTING_PREFETCH, BREAKER_FAILURE_RATE_THRESHOLD, BREAKER_MINIMUM_CALLS,
            BREAKER_OPEN_DURATION_MS, BREAKER_MAX_EJECTED_PERCENT, "worker.<id>.state", "tasktype.<type>.paused",
            "flag.<name>");

    private ControlKeys() {
    }

    /** The key that cordons, drains or re-activates {@code workerId}. */
    public static String workerState(String workerId) {
        return WORKER_PREFIX + WorkerIds.requireValid(workerId) + WORKER_SUFFIX;
    }

    /** The key that pauses or resumes tasks of {@code taskType}. */
    public static String taskTypePaused(String taskType) {
        return TASK_TYPE_PREFIX + taskType + TASK_TYPE_SUFFIX;
    }

    /** The key of feature flag {@code name}. */
    public static String flag(String name) {
        return FLAG_PREFIX + name;
    }

    /**
     * Validates a setting and returns its canonical value.
     *
     * @param value the new value, or null to return the setting to its default (valid for every key)
     * @return the canonical form of {@code value}, or null when {@code value} is null
     * @throws IllegalArgumentException naming the key, the value and what would be accepted
     */
    public static String normalize(String key, String value) {
        Kind kind = kind(key);
        if (value == null) {
            return null;
        }
        String v = value.trim();
        try {
            return kind.normalize(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value '" + value + "' for " + key + ": " + e.getMessage());
        }
    }

    /** The worker ID in a {@code worker.<id>.state} key, or null when {@code key} is not one. */
    static String workerIdOf(String key) {
        return between(key, WORKER_PREFIX, WORKER_SUFFIX);
    }

    /** The task type in a {@code tasktype.<type>.paused} key, or null when {@code key} is not one. */
    static String taskTypeOf(String key) {
        return between(key, TASK_TYPE_PREFIX, TASK_TYPE_SUFFIX);
    }

    /** The flag name in a {@code flag.<name>} key, or null when {@code key} is not one. */
    static String flagOf(String key) {
        return key != null && key.startsWith(FLAG_PREFIX) ? key.substring(FLAG_PREFIX.length()) : null;
    }

    private static Kind kind(String key) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("a setting key is required; valid keys: " + String.join(", ", SHAPES));
        }
        switch (key) {
            case ROUTING_STRATEGY:
                return v -> Strategy.parse(v).label();
            case ROUTING_AB_STRATEGY:
                return v -> NONE.equalsIgnoreCase(v) ? NONE : Strategy.parse(v).label();
            case ROUTING_AB_PERCENT:
                return v -> String.valueOf(RoutingConfig.defaults().withAbSplit(Strategy.CONSISTENT_HASH,
                        integer(v)).abPercent());
            case ROUTING_BOUNDED_LOAD_FACTOR:
                return v -> String.valueOf(RoutingConfig.defaults().withBoundedLoadFactor(decimal(v))
                        .boundedLoadFactor());
            case ROUTING_PREFETCH:
                return v -> String.valueOf(RoutingConfig.defaults().withPrefetch(integer(v)).prefetch());
            case BREAKER_FAILURE_RATE_THRESHOLD:
                return v -> range(v, 1, 100, "a percentage of failed calls");
            case BREAKER_MINIMUM_CALLS:
                return v -> range(v, 1, 10_000, "calls before the failure rate counts");
            case BREAKER_OPEN_DURATION_MS:
                return v -> range(v, 100, Integer.MAX_VALUE, "milliseconds an open breaker stays open");
            case BREAKER_MAX_EJECTED_PERCENT:
                return v -> range(v, 0, 100, "the largest share of workers breakers may eject");
            default:
                return patterned(key);
        }
    }

    private static Kind patterned(String key) {
        String workerId = workerIdOf(key);
        if (workerId != null) {
            WorkerIds.requireValid(workerId);
            return v -> WorkerControl.parse(v).label();
        }
        String taskType = taskTypeOf(key);
        if (taskType != null) {
            if (taskType.isEmpty() || taskType.length() > MAX_TASK_TYPE_LENGTH || taskType.isBlank()) {
                throw new IllegalArgumentException("invalid task type in '" + key + "': it must be 1-"
                        + MAX_TASK_TYPE_LENGTH + " characters and not blank");
            }
            return ControlKeys::bool;
        }
        String flag = flagOf(key);
        if (flag != null) {
            if (!FLAG_NAME.matcher(flag).matches()) {
                throw new IllegalArgumentException("invalid flag name in '" + key
                        + "': it must match [a-zA-Z0-9._-]{1,100}");
            }
            return ControlKeys::bool;
        }
        throw new IllegalArgumentException("unknown setting '" + key + "'; valid keys: " + String.join(", ", SHAPES));
    }

    private static String between(String key, String prefix, String suffix) {
        if (key == null || !key.startsWith(prefix) || !key.endsWith(suffix)
                || key.length() < prefix.length() + suffix.length()) {
            return null;
        }
        return key.substring(prefix.length(), key.length() - suffix.length());
    }

    private static String bool(String v) {
        String lower = v.toLowerCase(Locale.ROOT);
        if (!lower.equals("true") && !lower.equals("false")) {
            throw new IllegalArgumentException("expected true or false");
        }
        return lower;
    }

    private static int integer(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static double decimal(String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number such as 1.25");
        }
    }

    private static String range(String v, int min, int max, String meaning) {
        int n = integer(v);
        if (n < min || n > max) {
            String bound = max == Integer.MAX_VALUE ? "at least " + min : "between " + min + " and " + max;
            throw new IllegalArgumentException("must be " + bound + " (" + meaning + ")");
        }
        return String.valueOf(n);
    }

    /** Validates and canonicalizes one key's value. */
    @FunctionalInterface
    private interface Kind {
        String normalize(String value);
    }
}
