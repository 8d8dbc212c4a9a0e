package io.kdispatch.dispatcher.attempt;

import java.util.Objects;

/**
 * How one finished attempt ended, for the task's history (and its dead letter).
 *
 * @param attempt the attempt number
 * @param workerId the worker it ran on
 * @param outcome {@code failed}, {@code rejected}, or a {@link LossCause} label
 * @param error the worker's error, or null
 * @param atMs when the dispatcher learned of it
 */
public record Outcome(int attempt, String workerId, String outcome, String error, long atMs) {
    public Outcome {
        Objects.requireNonNull(workerId, "workerId");
        Objects.requireNonNull(outcome, "outcome");
    }
}
