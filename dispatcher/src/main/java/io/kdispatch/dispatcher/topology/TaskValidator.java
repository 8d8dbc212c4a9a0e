package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskRules;

/**
 * Checks an intake task against the rules the dispatcher relies on, naming the first rule broken: the
 * shared {@link TaskRules} (the same ones the submit client applies before sending, with the same message),
 * plus what only the dispatcher can see, the record key the task arrived under.
 */
final class TaskValidator {
    private TaskValidator() {
    }

    /** Null when {@code task} (received under {@code key}) is acceptable, else what is wrong with it. */
    static String problem(String key, Task task) {
        String problem = TaskRules.problem(task);
        if (problem != null) {
            return problem;
        }
        if (key != null && !key.equals(task.getId())) {
            return "record key '" + key + "' differs from task id '" + task.getId() + "'";
        }
        return null;
    }
}
