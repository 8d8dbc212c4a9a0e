package io.kdispatch.sdk.internal;

import io.kdispatch.sdk.Worker.State;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Holds a worker's {@link State} and only lets it move along the transitions the enum allows.
 *
 * <p>Thread-safe: transitions are compare-and-set, so of two threads racing to terminate exactly
 * one wins. {@link #awaitTerminated} returns once {@link State#TERMINATED} is reached.
 */
public final class Lifecycle {
    private final String workerId;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final CountDownLatch terminated = new CountDownLatch(1);

    public Lifecycle(String workerId) {
        this.workerId = workerId;
    }

    public State state() {
        return state.get();
    }

    /**
     * Moves from {@code from} to {@code to}.
     *
     * @throws IllegalStateException when the worker is not in {@code from}, or the move is illegal
     */
    public void transition(State from, State to) {
        if (!from.canTransitionTo(to)) {
            throw new IllegalStateException("worker " + workerId + ": illegal transition " + from + " -> " + to);
        }
        if (!state.compareAndSet(from, to)) {
            throw new IllegalStateException("worker " + workerId + ": expected state " + from
                    + " to move to " + to + ", but it is " + state.get());
        }
        if (to == State.TERMINATED) {
            terminated.countDown();
        }
    }

    /**
     * Moves to {@code to} if that is legal from the current state.
     *
     * @return true when this call made the move
     */
    public boolean tryTransition(State to) {
        while (true) {
            State current = state.get();
            if (!current.canTransitionTo(to)) {
                return false;
            }
            if (state.compareAndSet(current, to)) {
                if (to == State.TERMINATED) {
                    terminated.countDown();
                }
                return true;
            }
        }
    }

    /** Waits until {@link State#TERMINATED}; true when reached within {@code timeout}. */
    public boolean awaitTerminated(Duration timeout) throws InterruptedException {
        return terminated.await(Math.max(0, timeout.toNanos()), TimeUnit.NANOSECONDS);
    }
}
