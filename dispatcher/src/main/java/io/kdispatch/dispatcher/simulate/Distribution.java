package io.kdispatch.dispatcher.simulate;

import java.util.Locale;
import java.util.SplittableRandom;

/** A service-time distribution in milliseconds, sampled from a seeded random source. */
sealed interface Distribution {
    /** One sample, in milliseconds, never negative. */
    double sample(SplittableRandom random);

    /** The mean, in milliseconds. */
    double mean();

    /** Always {@code ms}. */
    record Fixed(double ms) implements Distribution {
        @Override
        public double sample(SplittableRandom random) {
            return ms;
        }

        @Override
        public double mean() {
            return ms;
        }

        @Override
        public String toString() {
            return fmt(ms);
        }
    }

    /** Memoryless, with mean {@code meanMs}. */
    record Exponential(double meanMs) implements Distribution {
        @Override
        public double sample(SplittableRandom random) {
            return -meanMs * Math.log(1.0 - random.nextDouble());
        }

        @Override
        public double mean() {
            return meanMs;
        }

        @Override
        public String toString() {
            return "exponential(mean " + fmt(meanMs) + ")";
        }
    }

    /** Log-normal with median {@code medianMs} and shape {@code sigma} (the spread of the log). */
    record LogNormal(double medianMs, double sigma) implements Distribution {
        @Override
        public double sample(SplittableRandom random) {
            return medianMs * Math.exp(sigma * random.nextGaussian());
        }

        @Override
        public double mean() {
            return medianMs * Math.exp(sigma * sigma / 2);
        }

        @Override
        public String toString() {
            return "lognormal(median " + fmt(medianMs) + ", sigma " + sigma + ")";
        }
    }

    /** Uniform between {@code minMs} and {@code maxMs}. */
    record Uniform(double minMs, double maxMs) implements Distribution {
        @Override
        public double sample(SplittableRandom random) {
            return minMs + (maxMs - minMs) * random.nextDouble();
        }

        @Override
        public double mean() {
            return (minMs + maxMs) / 2;
        }

        @Override
        public String toString() {
            return "uniform(" + fmt(minMs) + ".." + fmt(maxMs) + ")";
        }
    }

    /**
     * The service times observed in a trace: a sample is one of them, drawn uniformly.
     *
     * @param samplesMs the observations, in milliseconds; not empty
     */
    record Empirical(double[] samplesMs) implements Distribution {
        public Empirical {
            if (samplesMs.length == 0) {
                throw new IllegalArgumentException("an empirical distribution needs at least one observation");
            }
            samplesMs = samplesMs.clone();
        }

        @Override
        public double sample(SplittableRandom random) {
            return samplesMs[random.nextInt(samplesMs.length)];
        }

        @Override
        public double mean() {
            double sum = 0;
            for (double s : samplesMs) {
                sum += s;
            }
            return sum / samplesMs.length;
        }

        @Override
        public String toString() {
            return "observed(" + samplesMs.length + " samples, mean " + fmt(mean()) + ")";
        }
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.1f ms", ms);
    }
}
