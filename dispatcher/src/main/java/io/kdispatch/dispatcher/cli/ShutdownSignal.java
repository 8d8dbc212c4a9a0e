package io.kdispatch.dispatcher.cli;

import io.kdispatch.schemas.startup.StartupWait;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Turns SIGTERM/Ctrl-C into an orderly stop that always ends within {@code bound}, whatever state the
 * command is in (waiting for the broker, draining, Kafka Streams rebalancing or replacing threads).
 *
 * <p>On the signal, the JVM runs this hook: it releases {@link #await()}, runs the {@link #onStop}
 * actions (which end start-up waits), then waits until the command has returned its exit status
 * ({@link #exiting(int)}, called by {@link Main#main}). It then halts the JVM with that status, or with
 * {@link #EXIT_NOT_STOPPED} when the bound has passed first. Halting is what reports the command's own
 * status: a JVM stopped by SIGTERM otherwise exits with 143 once its hooks return, whatever
 * {@code System.exit} asked for.
 *
 * <p>Commands drain for {@link #drainTimeout()} (two thirds of the bound), leaving the rest to abort
 * and close clients. Declare the signal first in a try-with-resources so it closes last.
 */
final class ShutdownSignal implements AutoCloseable {
    /** The default bound, in seconds (a constant so that command-line defaults can name it). */
    static final int DEFAULT_BOUND_SECONDS = 30;
    /** Exit status when the command did not finish within the bound. */
    static final int EXIT_NOT_STOPPED = 1;
    /** The status the command returned; completed once per process, by {@link Main#main}. */
    private static final CompletableFuture<Integer> EXIT_STATUS = new CompletableFuture<>();

    private final Duration bound;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
    private final Thread hook;

    /** With the default bound of 30 s. */
    ShutdownSignal() {
        this(Duration.ofSeconds(DEFAULT_BOUND_SECONDS));
    }

    /**
     * @param bound how long after the signal the process exits at the latest, positive
     * @throws IllegalArgumentException when the bound is not positive
     */
    ShutdownSignal(Duration bound) {
        if (bound == null || bound.isNegative() || bound.isZero()) {
            throw new IllegalArgumentException("--shutdown-timeout must be positive, was " + bound);
        }
        this.bound = bound;
        hook = new Thread(this::onSignal, "kdispatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** The command returned {@code status}; a running hook exits the JVM with it. Called by {@link Main#main}. */
    static void exiting(int status) {
        EXIT_STATUS.complete(status);
    }

    /**
     * Runs {@code action} on the signal (at once when it has already come), on the hook's thread: for
     * what must happen even while the main thread is blocked, e.g. ending a start-up wait. Must be quick.
     */
    void onStop(Runnable action) {
        onStop.add(action);
        if (stopRequested()) {
            runQuietly(action);
        }
    }

    /** True once the process has been asked to stop (for loops that poll instead of blocking). */
    boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /** Blocks until the process is asked to stop. */
    void await() throws InterruptedException {
        stop.await();
    }

    /** How long a command may drain before it aborts what is left: two thirds of the bound. */
    Duration drainTimeout() {
        return bound.multipliedBy(2).dividedBy(3);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and waits for the exit status.
        }
    }

    private void onSignal() {
        long deadline = System.nanoTime() + bound.toNanos();
        stop.countDown();
        onStop.forEach(ShutdownSignal::runQuietly);
        int status;
        try {
            status = EXIT_STATUS.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            System.err.println("error: not stopped within " + StartupWait.format(bound)
                    + " of the signal (--shutdown-timeout); exiting with status " + EXIT_NOT_STOPPED);
            status = EXIT_NOT_STOPPED;
        } catch (InterruptedException | ExecutionException e) {
            status = EXIT_NOT_STOPPED;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    private static void runQuietly(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            System.err.println("warning: a stop action failed: " + e);
        }
    }
}
