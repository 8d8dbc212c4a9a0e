package io.kdispatch.dispatcher.control;

import io.kdispatch.dispatcher.config.ControlPattern;
import io.kdispatch.dispatcher.config.Setting;
import io.kdispatch.dispatcher.config.Settings;
import io.kdispatch.schemas.WorkerIds;
import java.util.List;
import java.util.function.Function;

/**
 * The keys of the control topic and the values each accepts, derived from the settings catalogue: the
 * {@link Settings#runtime() run-time settings} and the {@link Settings#PATTERNS patterned keys}
 * ({@code worker.<id>.state}, {@code tasktype.<type>.paused}, {@code flag.<name>}, and the quotas
 * {@code quota.tenant.<tenant>}, {@code quota.type.<type>}, {@code rate.tenant.<tenant>}, {@code rate.type.<type>}).
 * Every write is validated here before it reaches the topic, and every dispatcher validates again on
 * receipt, so a record written by other means cannot break routing.
 *
 * <p>Values are normalized: {@code LEAST_LOADED} becomes {@code least-loaded}, {@code TRUE} becomes
 * {@code true}; a null value always means "back to the default". Stateless and thread-safe.
 */
public final class ControlKeys {
    /** Every accepted key shape, for help texts and error messages. */
    public static final List<String> SHAPES = Settings.controlKeyShapes();

    private ControlKeys() {
    }

    /** The key that cordons, drains or re-activates {@code workerId}. */
    public static String workerState(String workerId) {
        return Settings.WORKER_STATE.key(WorkerIds.requireValid(workerId));
    }

    /** The key that pauses or resumes tasks of {@code taskType}. */
    public static String taskTypePaused(String taskType) {
        return Settings.TASK_TYPE_PAUSED.key(taskType);
    }

    /** The key of feature flag {@code name}. */
    public static String flag(String name) {
        return Settings.FLAG.key(name);
    }

    /**
     * Validates a setting and returns its canonical value.
     *
     * @param value the new value, or null to return the setting to its default (valid for every key)
     * @return the canonical form of {@code value}, or null when {@code value} is null
     * @throws IllegalArgumentException naming the key, the value and what would be accepted
     *     ({@link InvalidKeyException} when the key itself is not one)
     */
    public static String normalize(String key, String value) {
        return parse(key, value).canonical();
    }

    /**
     * Validates a setting into its typed value.
     *
     * @throws IllegalArgumentException as {@link #normalize}
     */
    public static ControlValue parse(String key, String value) {
        if (key == null || key.isBlank()) {
            throw new InvalidKeyException("a setting key is required; valid keys: " + String.join(", ", SHAPES));
        }
        Setting<?> setting = Settings.byKey(key);
        if (setting != null && setting.runtime()) {
            return new ControlValue(key, setting, null, null, typed(key, value, setting.type()::parse));
        }
        for (ControlPattern<?> pattern : Settings.PATTERNS) {
            if (pattern.matches(key)) {
                String name;
                try {
                    name = pattern.nameIn(key);
                } catch (IllegalArgumentException e) {
                    throw new InvalidKeyException(e.getMessage());
                }
                return new ControlValue(key, null, pattern, name, typed(key, value, pattern.type()::parse));
            }
        }
        throw new InvalidKeyException("unknown setting '" + key + "'"
                + (setting == null ? "" : " on the control topic: it can only be set at start-up")
                + "; valid keys: " + String.join(", ", SHAPES));
    }

    private static Object typed(String key, String value, Function<String, ?> parser) {
        if (value == null) {
            return null;
        }
        try {
            return parser.apply(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value '" + value + "' for " + key + ": " + e.getMessage());
        }
    }

    /** The key is not one the control topic accepts: unknown, start-up only, or naming an invalid worker, type or flag. */
    public static final class InvalidKeyException extends IllegalArgumentException {
        InvalidKeyException(String message) {
            super(message);
        }
    }
}
