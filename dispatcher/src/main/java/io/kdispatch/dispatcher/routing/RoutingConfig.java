package io.kdispatch.dispatcher.routing;

/**
 * Validated routing settings. Build one per change of config; a {@link Router} is bound to one.
 *
 * <p>The bounds below are the only declaration of what routing accepts: the settings catalogue
 * ({@code config.Settings}) takes its ranges from them, so a value the configuration or the control topic
 * accepts always builds a config.
 *
 * @param strategy the strategy for tasks with neither a sticky worker nor an affinity key; default
 *                 {@link Strategy#CONSISTENT_HASH}
 * @param abStrategy the second strategy of an A/B split, or null (the default) for no split
 * @param abPercent share of task IDs, 0..100, routed by {@code abStrategy}; default 0. Ignored while
 *                  {@code abStrategy} is null, so the two can be set by separate control commands in
 *                  either order
 * @param boundedLoadFactor how far above the average a worker may be loaded before consistent hashing
 *                          passes its keys to the next worker on the ring; 1.0..10, default 1.25
 * @param prefetch tasks a worker may hold beyond its capacity: it is eligible while
 *                 {@code load < capacity + prefetch}; 0..10,000, default 2
 */
public record RoutingConfig(Strategy strategy, Strategy abStrategy, int abPercent, double boundedLoadFactor,
                            int prefetch) {
    /** Default {@link #boundedLoadFactor()}: the 1.25 that Mirrokni, Thorup and Zadimoghaddam suggest. */
    public static final double DEFAULT_BOUNDED_LOAD_FACTOR = 1.25;
    /** Default {@link #prefetch()}: enough to keep a worker busy between a result and its next task. */
    public static final int DEFAULT_PREFETCH = 2;
    /** Smallest accepted {@link #boundedLoadFactor()}: a worker at exactly the average is never skipped. */
    public static final double MIN_BOUNDED_LOAD_FACTOR = 1.0;
    /** Largest accepted {@link #boundedLoadFactor()}; above it the bound no longer protects anything. */
    public static final double MAX_BOUNDED_LOAD_FACTOR = 10.0;
    /** Largest accepted {@link #abPercent()}. */
    public static final int MAX_AB_PERCENT = 100;
    /** Largest accepted {@link #prefetch()}. */
    public static final int MAX_PREFETCH = 10_000;

    public RoutingConfig {
        if (strategy == null) {
            throw new IllegalArgumentException("strategy must be set, one of: " + Strategy.validLabels());
        }
        if (abPercent < 0 || abPercent > MAX_AB_PERCENT) {
            throw new IllegalArgumentException("abPercent must be between 0 and " + MAX_AB_PERCENT + ", was "
                    + abPercent);
        }
        if (!(boundedLoadFactor >= MIN_BOUNDED_LOAD_FACTOR && boundedLoadFactor <= MAX_BOUNDED_LOAD_FACTOR)) {
            throw new IllegalArgumentException("boundedLoadFactor must be between " + MIN_BOUNDED_LOAD_FACTOR
                    + " and " + MAX_BOUNDED_LOAD_FACTOR + ", was " + boundedLoadFactor);
        }
        if (prefetch < 0 || prefetch > MAX_PREFETCH) {
            throw new IllegalArgumentException("prefetch must be between 0 and " + MAX_PREFETCH + ", was " + prefetch);
        }
    }

    /** Consistent hashing, no A/B split, bounded-load factor 1.25, prefetch 2. */
    public static RoutingConfig defaults() {
        return new RoutingConfig(Strategy.CONSISTENT_HASH, null, 0, DEFAULT_BOUNDED_LOAD_FACTOR, DEFAULT_PREFETCH);
    }

    /** This config with another main strategy. */
    public RoutingConfig withStrategy(Strategy strategy) {
        return new RoutingConfig(strategy, abStrategy, abPercent, boundedLoadFactor, prefetch);
    }

    /** This config with another A/B split; a null {@code abStrategy} turns the split off. */
    public RoutingConfig withAbSplit(Strategy abStrategy, int abPercent) {
        return new RoutingConfig(strategy, abStrategy, abPercent, boundedLoadFactor, prefetch);
    }

    /** This config with another bounded-load factor. */
    public RoutingConfig withBoundedLoadFactor(double boundedLoadFactor) {
        return new RoutingConfig(strategy, abStrategy, abPercent, boundedLoadFactor, prefetch);
    }

    /** This config with another prefetch bound. */
    public RoutingConfig withPrefetch(int prefetch) {
        return new RoutingConfig(strategy, abStrategy, abPercent, boundedLoadFactor, prefetch);
    }
}
