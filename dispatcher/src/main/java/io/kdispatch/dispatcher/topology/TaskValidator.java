package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.Task;

/** Checks an intake task against the rules the dispatcher relies on, naming the first rule broken. */
final class TaskValidator {
    static final int MAX_ID_LENGTH = 512;
    static final int MAX_ATTEMPTS = 100;
    static final int MAX_LABEL_RULES = 64;

    private TaskValidator() {
    }

    /** Null when {@code task} (received under {@code key}) is acceptable, else what is wrong with it. */
    static String problem(String key, Task task) {
        String id = task.getId();
        if (id == null || id.isBlank()) {
            return "task id is empty";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "task id is " + id.length() + " characters long, over the limit of " + MAX_ID_LENGTH;
        }
        if (key != null && !key.equals(id)) {
            return "record key '" + key + "' differs from task id '" + id + "'";
        }
        if (task.getType() == null || task.getType().isBlank()) {
            return "task type is empty";
        }
        if (task.getMaxAttempts() < 1 || task.getMaxAttempts() > MAX_ATTEMPTS) {
            return "maxAttempts is " + task.getMaxAttempts() + ", outside 1-" + MAX_ATTEMPTS;
        }
        int rules = task.getRequiredLabels().size() + task.getLabelRequirements().size();
        if (rules > MAX_LABEL_RULES) {
            return "task has " + rules + " label requirements, over the limit of " + MAX_LABEL_RULES;
        }
        for (LabelRequirement requirement : task.getLabelRequirements()) {
            boolean needsValues = switch (requirement.getOperator()) {
                case IN, NOT_IN -> true;
                case EXISTS, DOES_NOT_EXIST -> false;
            };
            if (needsValues && requirement.getValues().isEmpty()) {
                return "label requirement on '" + requirement.getKey() + "' with " + requirement.getOperator()
                        + " lists no values";
            }
        }
        return null;
    }
}
