package io.kdispatch.dispatcher.simulate;

import java.util.Arrays;

/** A growable list of longs, sorted once at the end for percentiles. */
final class LongList {
    private long[] values = new long[1024];
    private int size;

    void add(long v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    /** The values, sorted ascending (a copy). */
    long[] sorted() {
        long[] out = Arrays.copyOf(values, size);
        Arrays.sort(out);
        return out;
    }
}
