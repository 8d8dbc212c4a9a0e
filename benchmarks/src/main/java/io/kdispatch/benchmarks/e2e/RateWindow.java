package io.kdispatch.benchmarks.e2e;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * How a rate is measured: after the first output record, a warm-up (until {@code warmupShare} of the
 * expected records are out or {@code warmup} has passed) lets the JIT compile the hot path; then the
 * window runs until every expected record is out or {@code window} has passed. The rate is the records
 * counted in the window over its length, and the CPU the measured processes used in it, per record.
 *
 * @param warmup longest warm-up
 * @param warmupShare share of the expected records after which the warm-up ends early
 * @param window longest measured window
 * @param firstOutputTimeout how long to wait for the first output record before giving up
 */
record RateWindow(Duration warmup, double warmupShare, Duration window, Duration firstOutputTimeout) {
    /** Progress is sampled this often; a window is many times longer. */
    private static final long SAMPLE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** A window in which nothing arrives for this long ends early (the pipeline stalled). */
    private static final Duration STALL = Duration.ofSeconds(30);

    /**
     * One measured window.
     *
     * @param records records counted in the window
     * @param seconds its length
     * @param cpu CPU time the measured processes used in it
     * @param note why the window ended early, or empty
     */
    record Measurement(long records, double seconds, Duration cpu, String note) {
        double rate() {
            return seconds > 0 ? records / seconds : 0;
        }

        /** CPU microseconds per record in the window, or NaN without records. */
        double cpuMicrosPerRecord() {
            return records > 0 ? cpu.toNanos() / 1_000.0 / records : Double.NaN;
        }
    }

    /**
     * Measures the output rate of {@code counter} until {@code expected} records are out.
     *
     * @param measured the processes whose CPU time is charged to the records
     */
    Measurement measure(OutputCounter counter, long expected, List<ChildJvm> measured) {
        return measure(counter, expected, measured, Hooks.NONE);
    }

    /** Called as the measured window opens and closes (to profile just the window). */
    interface Hooks {
        Hooks NONE = new Hooks() {
        };

        default void opened() {
        }

        default void closed() {
        }
    }

    /** As {@link #measure(OutputCounter, long, List)}, calling {@code hooks} at the window's edges. */
    Measurement measure(OutputCounter counter, long expected, List<ChildJvm> measured, Hooks hooks) {
        long start = System.nanoTime();
        while (counter.count() == 0) {
            requireAlive(measured);
            if (System.nanoTime() - start > firstOutputTimeout.toNanos()) {
                throw new IllegalStateException("no output within " + firstOutputTimeout);
            }
            LockSupport.parkNanos(SAMPLE_NANOS);
        }
        long first = System.nanoTime();
        long warmRecords = Math.max(1, (long) (expected * warmupShare));
        while (counter.count() < warmRecords && System.nanoTime() - first < warmup.toNanos()) {
            requireAlive(measured);
            LockSupport.parkNanos(SAMPLE_NANOS);
        }
        hooks.opened();
        long from = System.nanoTime();
        long fromCount = counter.count();
        Duration fromCpu = cpu(measured);
        String note = "";
        long lastCount = fromCount;
        long lastProgress = from;
        while (counter.count() < expected && System.nanoTime() - from < window.toNanos()) {
            requireAlive(measured);
            long now = System.nanoTime();
            long seen = counter.count();
            if (seen > lastCount) {
                lastCount = seen;
                lastProgress = now;
            } else if (now - lastProgress > STALL.toNanos()) {
                note = "stalled at " + seen + " of " + expected;
                break;
            }
            LockSupport.parkNanos(SAMPLE_NANOS);
        }
        long to = System.nanoTime();
        long records = counter.count() - fromCount;
        Duration toCpu = cpu(measured);
        hooks.closed();
        if (records == 0 && fromCount >= expected) {
            note = "all records were out during the warm-up; raise --tasks";
        }
        return new Measurement(records, (to - from) / 1e9, toCpu.minus(fromCpu), note);
    }

    static Duration cpu(List<ChildJvm> processes) {
        Duration total = Duration.ZERO;
        for (ChildJvm p : processes) {
            total = total.plus(p.cpu());
        }
        return total;
    }

    private static void requireAlive(List<ChildJvm> processes) {
        processes.forEach(ChildJvm::requireAlive);
    }
}
