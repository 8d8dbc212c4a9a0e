package io.kdispatch.dispatcher.config;

import java.util.Objects;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * One dispatcher setting, declared once in {@link Settings}: its key, the values it takes, its default, its
 * documentation, and whether the control topic may change it at run time. The {@code ConfigDef} of the
 * configuration parser, the validation of control records and the README tables are all derived from it.
 *
 * <p>Immutable; the {@code with...} methods return a changed copy, for declaring a setting in one
 * expression.
 *
 * @param <T> the typed value
 */
public final class Setting<T> {
    private final String key;
    private final SettingType<T> type;
    private final T defaultValue;
    private final boolean required;
    private final String shownDefault;
    private final ConfigDef.Importance importance;
    private final boolean runtime;
    private final String doc;

    private Setting(String key, SettingType<T> type, T defaultValue, boolean required, String shownDefault,
                    ConfigDef.Importance importance, boolean runtime, String doc) {
        this.key = Objects.requireNonNull(key, "key");
        this.type = Objects.requireNonNull(type, "type");
        this.defaultValue = defaultValue;
        this.required = required;
        this.shownDefault = shownDefault;
        this.importance = importance;
        this.runtime = runtime;
        this.doc = Objects.requireNonNull(doc, "doc");
        if (defaultValue != null) {
            type.parse(type.format(defaultValue)); // a default outside its own range fails at class load
        }
    }

    /** A start-up setting of medium importance with {@code defaultValue} (null: none). */
    static <T> Setting<T> of(String key, SettingType<T> type, T defaultValue, String doc) {
        return new Setting<>(key, type, defaultValue, false, null, ConfigDef.Importance.MEDIUM, false, doc);
    }

    /** A setting without a default that must be given. */
    static <T> Setting<T> required(String key, SettingType<T> type, String doc) {
        return new Setting<>(key, type, null, true, null, ConfigDef.Importance.HIGH, false, doc);
    }

    /** This setting, changeable on the control topic as well. */
    Setting<T> atRunTime() {
        return new Setting<>(key, type, defaultValue, required, shownDefault, importance, true, doc);
    }

    /** This setting, with another importance (ConfigDef's, shown by {@code toRst}). */
    Setting<T> withImportance(ConfigDef.Importance level) {
        return new Setting<>(key, type, defaultValue, required, shownDefault, level, runtime, doc);
    }

    /** This setting, with its default described in words for the documentation (e.g. a machine-specific path). */
    Setting<T> withShownDefault(String text) {
        return new Setting<>(key, type, defaultValue, required, text, importance, runtime, doc);
    }

    public String key() {
        return key;
    }

    public SettingType<T> type() {
        return type;
    }

    /** The default, or null when there is none. */
    public T defaultValue() {
        return defaultValue;
    }

    public boolean required() {
        return required;
    }

    /** True when the control topic may change it on running dispatchers. */
    public boolean runtime() {
        return runtime;
    }

    public String doc() {
        return doc;
    }

    /** The default as the documentation shows it. */
    public String shownDefault() {
        if (shownDefault != null) {
            return shownDefault;
        }
        if (required) {
            return "(required)";
        }
        return defaultValue == null ? "none" : "`" + type.format(defaultValue) + "`";
    }

    /**
     * The typed value of {@code text}.
     *
     * @throws IllegalArgumentException naming the rule, e.g. "must be between 1 and 1000, was 5000"
     */
    public T parse(String text) {
        return type.parse(text);
    }

    /** The canonical text of {@code value}. */
    public String format(T value) {
        return type.format(value);
    }

    /** The typed value in a configuration parsed with {@link Settings#configDef()}; null when unset. */
    public T from(AbstractConfig config) {
        Object parsed = config.values().get(key);
        return parsed == null ? null : type.fromConfig(parsed);
    }

    /** Adds this setting to {@code def}, with a validator that applies {@link SettingType#fromConfig}. */
    void defineIn(ConfigDef def) {
        Object configDefault = required ? ConfigDef.NO_DEFAULT_VALUE
                : defaultValue == null ? null : type.format(defaultValue);
        def.define(key, type.configType(), configDefault, this::validate, importance, doc);
    }

    private void validate(String name, Object parsed) {
        if (parsed == null) {
            return;
        }
        try {
            type.fromConfig(parsed);
        } catch (IllegalArgumentException | ClassCastException e) {
            throw new ConfigException(name, parsed, e.getMessage());
        }
    }

    @Override
    public String toString() {
        return key;
    }
}
