package io.kdispatch.dispatcher.simulate;

/** Wait-time buckets in a 1-2-5 series of milliseconds, for the JSON histogram and the report's chart. */
final class Histogram {
    private static final long[] BOUNDS = bounds(10_000_000);

    private Histogram() {
    }

    /** Upper bounds (exclusive) of the buckets: 1, 2, 5, 10, 20, 50, ... ms; one last bucket holds the rest. */
    static long[] bounds() {
        return BOUNDS.clone();
    }

    /** Counts of {@code sorted} per bucket; {@code bounds().length + 1} entries, trailing empty buckets cut. */
    static long[] counts(long[] sorted) {
        long[] counts = new long[BOUNDS.length + 1];
        int b = 0;
        for (long v : sorted) {
            while (b < BOUNDS.length && v >= BOUNDS[b]) {
                b++;
            }
            counts[b]++;
        }
        int last = counts.length - 1;
        while (last > 0 && counts[last] == 0) {
            last--;
        }
        return java.util.Arrays.copyOf(counts, last + 1);
    }

    private static long[] bounds(long max) {
        java.util.List<Long> out = new java.util.ArrayList<>();
        for (long decade = 1; decade <= max; decade *= 10) {
            out.add(decade);
            out.add(decade * 2);
            out.add(decade * 5);
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
