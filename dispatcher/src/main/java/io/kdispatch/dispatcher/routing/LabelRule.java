package io.kdispatch.dispatcher.routing;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A hard label requirement in the style of a Kubernetes label selector expression.
 *
 * @param key the label key
 * @param operator how the worker's value for {@code key} is tested
 * @param values the values for {@link Operator#IN} and {@link Operator#NOT_IN}; empty otherwise
 */
public record LabelRule(String key, Operator operator, Set<String> values) {
    /** Selector operators. */
    public enum Operator {
        /** The worker has the key with one of the values. */
        IN,
        /** The worker lacks the key or has a value not listed. */
        NOT_IN,
        /** The worker has the key, any value. */
        EXISTS,
        /** The worker lacks the key. */
        DOES_NOT_EXIST
    }

    public LabelRule {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(operator, "operator");
        values = Set.copyOf(values);
        if ((operator == Operator.IN || operator == Operator.NOT_IN) && values.isEmpty()) {
            throw new IllegalArgumentException("label rule " + key + " " + operator + " needs at least one value");
        }
    }

    /** An equality rule, {@code key = value}. */
    public static LabelRule equalTo(String key, String value) {
        return new LabelRule(key, Operator.IN, Set.of(value));
    }

    /** True when a worker with these labels satisfies the rule. */
    public boolean matches(Map<String, String> labels) {
        String actual = labels.get(key);
        return switch (operator) {
            case IN -> actual != null && values.contains(actual);
            case NOT_IN -> actual == null || !values.contains(actual);
            case EXISTS -> actual != null;
            case DOES_NOT_EXIST -> actual == null;
        };
    }

    @Override
    public String toString() {
        return switch (operator) {
            case IN -> values.size() == 1 ? key + "=" + values.iterator().next() : key + " in " + values;
            case NOT_IN -> key + " notin " + values;
            case EXISTS -> key;
            case DOES_NOT_EXIST -> "!" + key;
        };
    }
}
