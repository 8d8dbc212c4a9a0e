package io.kdispatch.schemas;

import java.util.Map;

/**
 * The rules every intake {@link Task} must meet, declared once for the submit client (which refuses a
 * breach before anything is sent) and the dispatcher (which dead-letters a breach as
 * {@code INVALID_TASK} with the same message). Both report {@link #problem(Task)} verbatim, so a
 * producer sees exactly the reason the dispatcher would give.
 *
 * <p>The bounds protect the dispatcher's stores and decisions: task IDs are store keys and record keys,
 * label rules are evaluated against every candidate worker per decision. Stateless and thread-safe.
 */
public final class TaskRules {
    /** Longest accepted task ID, in characters. */
    public static final int MAX_ID_LENGTH = 512;
    /** Bounds of {@code maxAttempts}. */
    public static final int MIN_ATTEMPTS = 1;
    public static final int MAX_ATTEMPTS = 100;
    /** Most hard label rules (required labels plus label requirements) one task may carry. */
    public static final int MAX_LABEL_RULES = 64;

    private TaskRules() {
    }

    /** Null when {@code task} meets every rule, else the first rule it breaks, in words a user can act on. */
    public static String problem(Task task) {
        if (task == null) {
            return "task must not be null";
        }
        String id = task.getId();
        if (id == null || id.isBlank()) {
            return "task id must not be empty";
        }
        if (id.length() > MAX_ID_LENGTH) {
            return "task id is " + id.length() + " characters long, over the limit of " + MAX_ID_LENGTH;
        }
        if (task.getType() == null || task.getType().isBlank()) {
            return "task " + id + ": type must not be empty";
        }
        if (task.getMaxAttempts() < MIN_ATTEMPTS || task.getMaxAttempts() > MAX_ATTEMPTS) {
            return "task " + id + ": maxAttempts must be between " + MIN_ATTEMPTS + " and " + MAX_ATTEMPTS
                    + ", was " + task.getMaxAttempts();
        }
        return labelProblem(task);
    }

    /**
     * @throws IllegalArgumentException with {@link #problem(Task)} as its message when the task breaks a rule
     */
    public static Task requireValid(Task task) {
        String problem = problem(task);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return task;
    }

    private static String labelProblem(Task task) {
        Map<String, String> required = task.getRequiredLabels();
        int rules = (required == null ? 0 : required.size())
                + (task.getLabelRequirements() == null ? 0 : task.getLabelRequirements().size());
        if (rules > MAX_LABEL_RULES) {
            return "task " + task.getId() + ": has " + rules + " label rules (required labels plus label "
                    + "requirements), over the limit of " + MAX_LABEL_RULES;
        }
        if (task.getLabelRequirements() == null) {
            return null;
        }
        for (LabelRequirement requirement : task.getLabelRequirements()) {
            boolean needsValues = switch (requirement.getOperator()) {
                case IN, NOT_IN -> true;
                case EXISTS, DOES_NOT_EXIST -> false;
            };
            if (needsValues && requirement.getValues().isEmpty()) {
                return "task " + task.getId() + ": label requirement on '" + requirement.getKey() + "' with "
                        + requirement.getOperator() + " lists no values";
            }
        }
        return null;
    }
}
