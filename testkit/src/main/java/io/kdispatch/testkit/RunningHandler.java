package io.kdispatch.testkit;

import io.kdispatch.schemas.TaskAssignment;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A handler call under {@link HandlerTestKit} on a thread of its own ({@code kdispatch-testkit-<taskId>}),
 * so the test can wait for it with a bound or cancel it as a worker that aborts cancels it.
 *
 * <p>Thread-safe. {@link #close()} cancels a call still running, so a test that ends early leaves no
 * thread behind once the handler reacts to the interrupt.
 */
public final class RunningHandler implements AutoCloseable {
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final CompletableFuture<HandlerRun> outcome = new CompletableFuture<>();
    private final Thread thread;

    RunningHandler(HandlerTestKit kit, TaskAssignment assignment) {
        thread = new Thread(() -> {
            try {
                outcome.complete(kit.call(assignment, cancelled));
            } catch (RuntimeException | Error e) {
                outcome.completeExceptionally(e);
            }
        }, "kdispatch-testkit-" + assignment.getTask().getId());
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Cancels the call as {@code Worker.abort()} does: the handler's thread is interrupted and, whatever the
     * handler then returns or throws, the worker publishes no result (the dispatcher's lease runs out and the
     * task goes elsewhere). Idempotent.
     */
    public void cancel() {
        if (cancelled.compareAndSet(false, true)) {
            thread.interrupt();
        }
    }

    /** True once the handler returned (or threw). */
    public boolean isDone() {
        return outcome.isDone();
    }

    /**
     * Waits at most {@code timeout} for the handler to return.
     *
     * @throws TimeoutException when it is still running, e.g. a handler that ignores interruption
     */
    public HandlerRun await(Duration timeout) throws TimeoutException, InterruptedException {
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the kit failed running the handler", e.getCause());
        }
    }

    /** Cancels the call if it still runs. */
    @Override
    public void close() {
        if (!outcome.isDone()) {
            cancel();
        }
    }
}
