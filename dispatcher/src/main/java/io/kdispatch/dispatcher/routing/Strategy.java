package io.kdispatch.dispatcher.routing;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How tasks without a sticky worker or an affinity key are spread over the eligible workers. */
public enum Strategy {
    /** Consistent hashing of the task ID, with bounded load. The default. */
    CONSISTENT_HASH("consistent-hash"),
    /** Power of two choices: of two workers picked by hashing the task ID, the less loaded one. */
    LEAST_LOADED("least-loaded"),
    /** Weighted rendezvous hashing of the task ID with each worker's declared weight. */
    WEIGHTED("weighted"),
    /** Lowest expected completion time, (load + 1) x moving-average service time. */
    PREDICTIVE("predictive"),
    /**
     * Chooses per decision from what it observes among the eligible workers: {@link #PREDICTIVE} when the
     * slowest known service time is at least twice the fastest; else {@link #LEAST_LOADED} when the load skew
     * {@code (maxLoad - minLoad) / max(1, meanLoad)} is at least 0.5; else {@link #CONSISTENT_HASH}. The
     * decision's strategy says which, e.g. {@code auto:predictive}.
     */
    AUTO("auto");

    private final String label;

    Strategy(String label) {
        this.label = label;
    }

    /** The label used in config, control commands, metrics tags and decisions, e.g. {@code least-loaded}. */
    public String label() {
        return label;
    }

    /**
     * The strategy with this label. Case is ignored and the enum-constant spelling
     * ({@code LEAST_LOADED}) is accepted too.
     *
     * @throws IllegalArgumentException naming the valid labels when {@code label} matches none
     */
    public static Strategy parse(String label) {
        String normalized = label == null ? "" : label.trim().toLowerCase(Locale.ROOT).replace('_', '-');
        for (Strategy strategy : values()) {
            if (strategy.label.equals(normalized)) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown routing strategy '" + label + "'; valid: " + validLabels());
    }

    /** The valid labels, comma-separated, for help texts and error messages. */
    public static String validLabels() {
        return Arrays.stream(values()).map(Strategy::label).collect(Collectors.joining(", "));
    }
}
