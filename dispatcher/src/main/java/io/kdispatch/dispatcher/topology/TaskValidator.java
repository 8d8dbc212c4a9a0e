package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apache.avro.Schema;

/**
 * Checks an intake task against the rules the dispatcher relies on, naming the first rule broken: the
 * shared {@link TaskRules} (the same ones the submit client applies before sending, with the same message),
 * plus what only the dispatcher can see, the record key the task arrived under.
 */
final class TaskValidator {
    /** What a resubmission may change: when it was sent, and its trace context. */
    private static final Set<String> RESUBMISSION_MAY_CHANGE = Set.of("submittedAt", "headers");

    private TaskValidator() {
    }

    /** Null when {@code task} (received under {@code key}) is acceptable, else what is wrong with it. */
    static String problem(String key, Task task) {
        String problem = TaskRules.problem(task);
        if (problem != null) {
            return problem;
        }
        if (key != null && !key.equals(task.getId())) {
            return "record key " + Abbreviated.of(key) + " differs from task id '" + task.getId() + "'";
        }
        return null;
    }

    /**
     * Null when {@code incoming} may follow {@code live}, the live task of the same ID, as its resubmission:
     * the same task, whatever its {@code submittedAt} and headers (a producer's retry, a replay). Else why
     * not: another task under a live ID would replace it, and the live task's result would be ignored.
     */
    static String conflict(Task live, Task incoming) {
        List<String> fields = new ArrayList<>();
        for (Schema.Field f : Task.getClassSchema().getFields()) {
            if (!RESUBMISSION_MAY_CHANGE.contains(f.name())
                    && !Objects.equals(live.get(f.pos()), incoming.get(f.pos()))) {
                fields.add(f.name());
            }
        }
        if (fields.isEmpty()) {
            return null;
        }
        return "task id '" + incoming.getId() + "' is live with different content (" + String.join(", ", fields)
                + (fields.size() == 1 ? " differs" : " differ")
                + "); a resubmission must repeat the task, so this one is refused and the live one goes on";
    }
}
