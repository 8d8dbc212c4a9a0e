package io.kdispatch.dispatcher.config;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * A family of run-time settings on the control topic whose key names something, such as
 * {@code worker.<id>.state}: declared once in {@link Settings} with the rule for the name, the values and
 * the documentation, like a {@link Setting}.
 *
 * @param prefix the key before the name, e.g. {@code worker.}
 * @param placeholder what the name is, e.g. {@code id}, shown as {@code <id>}
 * @param suffix the key after the name, e.g. {@code .state}; may be empty
 * @param maxNameLength longest accepted name
 * @param validName the rule for the name (its length included)
 * @param nameRule that rule in words, for messages and the README
 * @param type the values
 * @param doc what the setting does
 * @param <T> the typed value
 */
public record ControlPattern<T>(String prefix, String placeholder, String suffix, int maxNameLength,
                                Predicate<String> validName, String nameRule, SettingType<T> type, String doc) {
    public ControlPattern {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(suffix, "suffix");
        Objects.requireNonNull(validName, "validName");
        Objects.requireNonNull(type, "type");
    }

    /** The key shape, e.g. {@code worker.<id>.state}. */
    public String shape() {
        return prefix + "<" + placeholder + ">" + suffix;
    }

    /** The key for {@code name}; the name is not checked (see {@link #nameIn}). */
    public String key(String name) {
        return prefix + name + suffix;
    }

    /** True when {@code key} has this shape, whatever its name; the name may still be invalid. */
    public boolean matches(String key) {
        return key != null && key.length() >= prefix.length() + suffix.length() && key.startsWith(prefix)
                && key.endsWith(suffix);
    }

    /**
     * The name in {@code key}, which must {@link #matches match}.
     *
     * @throws IllegalArgumentException when the name breaks {@link #nameRule()}
     */
    public String nameIn(String key) {
        String name = key.substring(prefix.length(), key.length() - suffix.length());
        if (!validName.test(name)) {
            throw new IllegalArgumentException("invalid " + placeholder + " '" + abbreviate(name) + "' in '"
                    + abbreviate(key) + "': it must be " + nameRule);
        }
        return name;
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
