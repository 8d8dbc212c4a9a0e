package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Building task attempts: the first one, the next one after a failure or loss, and their history. */
final class Attempts {
    private Attempts() {
    }

    static boolean otherIncarnation(TaskAssignment current, TaskResult result) {
        return current.getWorkerIncarnation() != 0 && result.getWorkerIncarnation() != 0
                && current.getWorkerIncarnation() != result.getWorkerIncarnation();
    }

    static List<AttemptRecord> withAttempt(TaskAssignment current, String outcome, String error, long now) {
        List<AttemptRecord> history = new ArrayList<>(current.getHistory());
        history.add(new AttemptRecord(current.getAttempt(), current.getWorkerId(), outcome, error,
                Instant.ofEpochMilli(now)));
        return history;
    }

    static TaskAssignment nextAttempt(TaskAssignment current, List<AttemptRecord> history, int failures,
                                      int losses, long notBeforeMs) {
        return TaskAssignment.newBuilder(current)
                .setAttempt(current.getAttempt() + 1)
                .setFailures(failures)
                .setLosses(losses)
                .setHistory(history)
                .setNotBefore(Instant.ofEpochMilli(notBeforeMs))
                .build();
    }

    static TaskAssignment attemptOf(Task task, int attempt, String avoidWorker) {
        return TaskAssignment.newBuilder()
                .setTask(task)
                .setWorkerId(avoidWorker)
                .setAttempt(attempt)
                .setRoutingKey(RoutingKeys.of(task.getId(), task))
                .setAssignedAt(Instant.EPOCH)
                .setLeaseDeadline(Instant.EPOCH)
                .build();
    }
}
