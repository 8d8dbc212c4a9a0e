package io.kdispatch.dispatcher.replay;

import io.kdispatch.schemas.Task;
import java.util.Objects;
import java.util.Set;

/**
 * A readable source record: the task to put back on the intake, and what filters look at.
 *
 * @param task the task, replayed as it is
 * @param workers the workers that held it (every attempt's worker for a dead letter, the topic's worker for
 *     a worker topic, none for the intake)
 * @param reason the dead-letter reason, or {@code null} outside the dead-letter topic
 */
public record ReplayCandidate(Task task, Set<String> workers, String reason) {
    public ReplayCandidate {
        Objects.requireNonNull(task, "task");
        workers = Set.copyOf(workers);
    }
}
