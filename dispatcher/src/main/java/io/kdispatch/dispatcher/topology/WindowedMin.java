package io.kdispatch.dispatcher.topology;

/**
 * The smallest of the recent samples of a quantity that queues only ever lengthen: the minimum over the
 * current and the previous window of {@link #WINDOW} samples, so a sample older than two windows no
 * longer counts. TCP BBR keeps its round-trip propagation time the same way (a windowed minimum): the
 * average of round trips measured behind a queue grows with the queue, and a credit sized from it grows the
 * queue in turn. Hand-written because no library on the class path keeps a windowed minimum, and the two
 * fields here are all it takes.
 */
final class WindowedMin {
    /** Samples per window. */
    static final int WINDOW = 32;

    private double current = Double.NaN;
    private double previous = Double.NaN;
    private int count;

    void add(double sample) {
        if (count == WINDOW) {
            previous = current;
            current = Double.NaN;
            count = 0;
        }
        current = Double.isNaN(current) ? sample : Math.min(current, sample);
        count++;
    }

    /** The minimum of the last one to two windows of samples, or NaN before the first. */
    double value() {
        return Double.isNaN(previous) ? current : Math.min(previous, current);
    }
}
