package io.kdispatch.dispatcher.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One value of a parsed scenario file (a map, a list or a scalar from YAML or JSON) with its path, so that
 * every complaint names where it is: {@code fleet[1].capacity: must be a whole number from 1 to 100000,
 * was -3}. Failures are {@link ScenarioException}s.
 */
final class Node {
    private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
    private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/\\s*(ms|s|m|h))?");

    private final String path;
    private final Object value;

    Node(String path, Object value) {
        this.path = path;
        this.value = value;
    }

    String path() {
        return path;
    }

    boolean isNull() {
        return value == null;
    }

    boolean isMap() {
        return value instanceof Map;
    }

    boolean isList() {
        return value instanceof List;
    }

    ScenarioException error(String message) {
        return new ScenarioException((path.isEmpty() ? "" : path + ": ") + message);
    }

    /** The entries of a map, checked against the {@code known} keys; insertion order. */
    Map<String, Node> map(Set<String> known) {
        if (!(value instanceof Map<?, ?> raw)) {
            throw error("must be a map of keys to values, was " + describe());
        }
        Map<String, Node> out = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            String key = String.valueOf(k);
            if (known != null && !known.contains(key)) {
                throw error("unknown key '" + key + "'; known keys: " + String.join(", ", sorted(known)));
            }
            out.put(key, new Node(child(key), v));
        });
        return out;
    }

    /** A map of text to text (labels, settings), sorted by key. */
    Map<String, String> strings() {
        Map<String, String> out = new TreeMap<>();
        map(null).forEach((k, v) -> out.put(k, v.text()));
        return out;
    }

    List<Node> list() {
        if (!(value instanceof List<?> raw)) {
            throw error("must be a list, was " + describe());
        }
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < raw.size(); i++) {
            out.add(new Node(path + "[" + i + "]", raw.get(i)));
        }
        return out;
    }

    String text() {
        if (value == null || value instanceof Map || value instanceof List) {
            throw error("must be a single value, was " + describe());
        }
        String s = String.valueOf(value).trim();
        if (s.isEmpty()) {
            throw error("must not be empty");
        }
        return s;
    }

    int integer(int min, int max) {
        return (int) whole(min, max);
    }

    long whole(long min, long max) {
        long n;
        try {
            n = value instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())
                    ? num.longValue() : Long.parseLong(text());
        } catch (NumberFormatException e) {
            n = Long.MIN_VALUE;
        }
        if (n < min || n > max) {
            throw error("must be a whole number from " + min + " to " + max + ", was " + describe());
        }
        return n;
    }

    double decimal(double min, double max) {
        double d;
        try {
            d = value instanceof Number num ? num.doubleValue() : Double.parseDouble(text());
        } catch (NumberFormatException e) {
            d = Double.NaN;
        }
        if (!(d >= min && d <= max)) {
            throw error("must be a number from " + min + " to " + max + ", was " + describe());
        }
        return d;
    }

    /** A duration with a unit ({@code 250ms}, {@code 30s}, {@code 2m}, {@code 1h}), in milliseconds. */
    double millis(double min, double max) {
        String s = text().toLowerCase(Locale.ROOT);
        Matcher m = DURATION.matcher(s);
        if (!m.matches()) {
            throw error("must be a duration with a unit (e.g. 250ms, 30s, 2m, 1h), was " + describe());
        }
        double ms = Double.parseDouble(m.group(1)) * unitMillis(m.group(2));
        if (ms < min || ms > max) {
            throw error("must be from " + min + " ms to " + max + " ms, was " + describe());
        }
        return ms;
    }

    /** A rate per second: a number, or a number per unit ({@code 200/s}, {@code 6000/m}). */
    double perSecond(double max) {
        String s = text().toLowerCase(Locale.ROOT);
        Matcher m = RATE.matcher(s);
        if (!m.matches()) {
            throw error("must be a rate such as 200/s, 6000/m or 200 (per second), was " + describe());
        }
        double rate = Double.parseDouble(m.group(1)) * 1000.0 / (m.group(2) == null ? 1000.0 : unitMillis(m.group(2)));
        if (rate > max) {
            throw error("must be at most " + max + " per second, was " + describe());
        }
        return rate;
    }

    private static double unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private String describe() {
        if (value == null) {
            return "nothing";
        }
        if (value instanceof Map) {
            return "a map";
        }
        if (value instanceof List) {
            return "a list";
        }
        return "'" + value + "'";
    }

    private static List<String> sorted(Set<String> keys) {
        return keys.stream().sorted().toList();
    }
}
