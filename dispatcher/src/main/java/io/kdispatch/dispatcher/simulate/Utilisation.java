package io.kdispatch.dispatcher.simulate;

/**
 * Busy slot-time of one worker, in time buckets over the arrival period: utilisation is busy slot-time
 * over capacity times the time (dead time counts as idle).
 */
final class Utilisation {
    private final long startMs;
    private final long endMs;
    private final long bucketMs;
    private final double[] busyMs;
    private final int capacity;

    Utilisation(long startMs, long endMs, long bucketMs, int capacity) {
        this.startMs = startMs;
        this.endMs = endMs;
        this.bucketMs = bucketMs;
        this.capacity = capacity;
        this.busyMs = new double[(int) ((endMs - startMs + bucketMs - 1) / bucketMs)];
    }

    /** One slot was busy from {@code from} to {@code to}. */
    void busy(long from, long to) {
        long s = Math.max(from, startMs);
        long e = Math.min(to, endMs);
        while (s < e) {
            int b = (int) ((s - startMs) / bucketMs);
            long bucketEnd = Math.min(e, startMs + (b + 1) * bucketMs);
            busyMs[b] += bucketEnd - s;
            s = bucketEnd;
        }
    }

    /** Utilisation over the whole period, 0..1. */
    double overall() {
        double sum = 0;
        for (double b : busyMs) {
            sum += b;
        }
        return sum / ((double) capacity * (endMs - startMs));
    }

    /** Utilisation per bucket, 0..1. */
    double[] series() {
        double[] out = new double[busyMs.length];
        for (int i = 0; i < out.length; i++) {
            long len = Math.min(bucketMs, endMs - (startMs + i * bucketMs));
            out[i] = busyMs[i] / ((double) capacity * len);
        }
        return out;
    }
}
