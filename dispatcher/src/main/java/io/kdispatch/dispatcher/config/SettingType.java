package io.kdispatch.dispatcher.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.types.Password;

/**
 * The values a {@link Setting} takes: how text becomes a typed value, which values are accepted, how a
 * value is written back in canonical form, and how it maps onto a Kafka {@link ConfigDef} type.
 *
 * <p>{@link #parse} is the one validation of a setting's value, used by the configuration parser (through
 * the derived {@code ConfigDef}), the control-topic clients and every dispatcher receiving a control record.
 * Implementations are immutable and thread-safe.
 *
 * @param <T> the typed value
 */
public sealed interface SettingType<T> permits SettingType.Numeric, SettingType.Choice, SettingType.Text,
        SettingType.Parsed {

    /**
     * The typed value of {@code text} (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException saying what would be accepted, e.g. "must be between 1 and 1000"
     */
    T parse(String text);

    /** The canonical text of {@code value}: {@code parse(format(v))} equals {@code v}. */
    String format(T value);

    /** What is accepted, for the README tables, e.g. {@code 1–1000} or {@code `true`, `false`}. */
    String accepted();

    /** The smallest and largest accepted values and a few between (every value of a choice), in order. */
    List<T> samples();

    /** The {@link ConfigDef} type this setting is declared with. */
    ConfigDef.Type configType();

    /**
     * The typed value of what {@link ConfigDef} parsed for {@link #configType()}, validated.
     *
     * @throws IllegalArgumentException as {@link #parse}
     */
    T fromConfig(Object parsed);

    /** A whole number between {@code min} and {@code max}. */
    static Numeric<Integer> integer(int min, int max) {
        return new Numeric<>(min, max, null, Integer::valueOf, ConfigDef.Type.INT, "expected a whole number",
                between(min, max).stream().map(Long::intValue).toList());
    }

    /** A whole number between {@code min} and {@code max}, or {@code special} (e.g. -1 for a default). */
    static Numeric<Short> shortInt(short min, short max, short special) {
        List<Short> samples = new java.util.ArrayList<>(List.of(special));
        between(min, max).forEach(v -> samples.add(v.shortValue()));
        return new Numeric<>(min, max, special, Short::valueOf, ConfigDef.Type.SHORT, "expected a whole number",
                samples);
    }

    /** A whole number between {@code min} and {@code max}, in a 64-bit long. */
    static Numeric<Long> longInt(long min, long max) {
        return new Numeric<>(min, max, null, Long::valueOf, ConfigDef.Type.LONG, "expected a whole number",
                between(min, max));
    }

    /** A decimal number between {@code min} and {@code max}; NaN and infinities are refused. */
    static Numeric<Double> decimal(double min, double max) {
        double step = (max - min) / 4;
        return new Numeric<>(min, max, null, Double::valueOf, ConfigDef.Type.DOUBLE, "expected a number such as 1.25",
                List.of(min, min + step, min + 2 * step, max - step, max));
    }

    /** The bounds, their neighbours and the middle, in order and without repeats. */
    private static List<Long> between(long min, long max) {
        return java.util.stream.LongStream.of(min, min + 1, min + (max - min) / 2, max - 1, max)
                .filter(v -> v >= min && v <= max).distinct().sorted().boxed().toList();
    }

    /** {@code true} or {@code false}, case ignored. */
    static Choice<Boolean> bool() {
        return new Choice<>(List.of(true, false), String::valueOf, Choice::parseBoolean, ConfigDef.Type.BOOLEAN);
    }

    /** One of {@code values}, written as {@code label}, read with {@code parser} (which names the valid labels). */
    static <E> Choice<E> choice(List<E> values, Function<E, String> label, Function<String, E> parser) {
        return new Choice<>(values, label, parser, ConfigDef.Type.STRING);
    }

    /** Free text; {@code secret} text is a {@link ConfigDef.Type#PASSWORD}, hidden in logs. */
    static Text text(boolean secret) {
        return new Text(secret);
    }

    /**
     * A value with a shape of its own (e.g. a rate {@code 20:50}), read by {@code parser} (which throws
     * {@link IllegalArgumentException} saying what is accepted) and written by {@code formatter}.
     */
    static <T> Parsed<T> parsed(Function<String, T> parser, Function<T, String> formatter, String accepted,
                                List<T> samples) {
        return new Parsed<>(parser, formatter, accepted, samples);
    }

    /** A number within {@code [min, max]}, or exactly {@code special} when that is not null. */
    record Numeric<N extends Number & Comparable<N>>(N min, N max, N special, Function<String, N> parser,
                                                     ConfigDef.Type configType, String notANumber, List<N> samples)
            implements SettingType<N> {
        public Numeric {
            samples = List.copyOf(samples);
        }

        @Override
        public N parse(String text) {
            N value;
            try {
                value = parser.apply(text == null ? "" : text.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(notANumber);
            }
            return check(value);
        }

        @Override
        public String format(N value) {
            return String.valueOf(value);
        }

        @Override
        public String accepted() {
            return min + "–" + max + (special == null ? "" : ", or " + special);
        }

        @Override
        public N fromConfig(Object parsed) {
            @SuppressWarnings("unchecked")
            N value = (N) parsed;
            return check(value);
        }

        private N check(N value) {
            // compareTo orders NaN above every double, so NaN fails the upper bound.
            if (value.equals(special) || (value.compareTo(min) >= 0 && value.compareTo(max) <= 0)) {
                return value;
            }
            throw new IllegalArgumentException("must be between " + min + " and " + max
                    + (special == null ? "" : " or " + special) + ", was " + value);
        }
    }

    /** One of a fixed list of values. */
    record Choice<E>(List<E> values, Function<E, String> label, Function<String, E> parser,
                     ConfigDef.Type configType) implements SettingType<E> {
        public Choice {
            values = List.copyOf(values);
        }

        @Override
        public E parse(String text) {
            return parser.apply(text == null ? "" : text.trim());
        }

        @Override
        public String format(E value) {
            return label.apply(value);
        }

        @Override
        public String accepted() {
            return values.stream().map(v -> "`" + label.apply(v) + "`").collect(Collectors.joining(", "));
        }

        @Override
        public List<E> samples() {
            return values;
        }

        @Override
        public E fromConfig(Object parsed) {
            if (configType == ConfigDef.Type.BOOLEAN) {
                @SuppressWarnings("unchecked")
                E value = (E) parsed;
                return value;
            }
            return parse((String) parsed);
        }

        private static Boolean parseBoolean(String text) {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!lower.equals("true") && !lower.equals("false")) {
                throw new IllegalArgumentException("expected true or false");
            }
            return Boolean.valueOf(lower);
        }
    }

    /** Any text, not trimmed: it may be a URL, a path or a secret. */
    record Text(boolean secret) implements SettingType<String> {
        @Override
        public String parse(String text) {
            return text;
        }

        @Override
        public String format(String value) {
            return value;
        }

        @Override
        public String accepted() {
            return secret ? "text (hidden in logs)" : "text";
        }

        @Override
        public List<String> samples() {
            return List.of();
        }

        @Override
        public ConfigDef.Type configType() {
            return secret ? ConfigDef.Type.PASSWORD : ConfigDef.Type.STRING;
        }

        @Override
        public String fromConfig(Object parsed) {
            return parsed instanceof Password p ? p.value() : (String) parsed;
        }
    }

    /** A value with a text form of its own; see {@link SettingType#parsed}. */
    record Parsed<T>(Function<String, T> parser, Function<T, String> formatter, String accepted, List<T> samples)
            implements SettingType<T> {
        public Parsed {
            samples = List.copyOf(samples);
        }

        @Override
        public T parse(String text) {
            return parser.apply(text == null ? "" : text.trim());
        }

        @Override
        public String format(T value) {
            return formatter.apply(value);
        }

        @Override
        public ConfigDef.Type configType() {
            return ConfigDef.Type.STRING;
        }

        @Override
        public T fromConfig(Object parsed) {
            return parse((String) parsed);
        }
    }
}
