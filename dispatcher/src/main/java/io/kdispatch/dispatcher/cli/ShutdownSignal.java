package io.kdispatch.dispatcher.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGTERM/Ctrl-C into an orderly close. The JVM exits as soon as its shutdown hooks return, so
 * the hook does not just signal the main thread: it waits (up to 60 s) until the main thread has closed
 * everything and closed this signal. Declare it first in a try-with-resources so it closes last.
 */
final class ShutdownSignal implements AutoCloseable {
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;

    ShutdownSignal() {
        hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kdispatch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** True once the process has been asked to stop (for loops that poll instead of blocking). */
    boolean stopRequested() {
        return stop.getCount() == 0;
    }

    /** Blocks until the process is asked to stop. */
    void await() throws InterruptedException {
        stop.await();
    }

    @Override
    public void close() {
        done.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down: the hook is running and has just been released.
        }
    }
}
