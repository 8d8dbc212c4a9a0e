package io.kdispatch.dispatcher.control;

import io.kdispatch.dispatcher.config.ControlPattern;
import io.kdispatch.dispatcher.config.Setting;
import io.kdispatch.dispatcher.config.SettingType;

/**
 * One validated control setting: which catalogue entry it is (a run-time {@link Setting}, or a
 * {@link ControlPattern} with the name in its key) and its typed value. Built only by
 * {@link ControlKeys#parse}.
 *
 * @param key the setting key, e.g. {@code worker.w1.state}
 * @param setting the run-time setting, or null for a patterned key
 * @param pattern the patterned key, or null for a run-time setting
 * @param name the worker ID, task type or flag name in a patterned key, else null
 * @param value the typed value (e.g. a {@code Strategy}, an {@code Integer}); null means "back to the default"
 */
public record ControlValue(String key, Setting<?> setting, ControlPattern<?> pattern, String name, Object value) {

    /** The canonical text of the value, as stored on the topic and in the control store; null for a reset. */
    public String canonical() {
        if (value == null) {
            return null;
        }
        return setting != null ? format(setting.type(), value) : format(pattern.type(), value);
    }

    @SuppressWarnings("unchecked")
    private static <T> String format(SettingType<T> type, Object value) {
        return type.format((T) value);
    }
}
