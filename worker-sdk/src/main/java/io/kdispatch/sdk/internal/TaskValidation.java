package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.Task;

/** The rules a task must meet before it is submitted (the dispatcher dead-letters breaches). */
public final class TaskValidation {
    /** Bounds of {@code maxAttempts}. */
    public static final int MIN_ATTEMPTS = 1;
    public static final int MAX_ATTEMPTS = 100;

    private TaskValidation() {
    }

    /**
     * @throws IllegalArgumentException naming the first rule the task breaks
     */
    public static void requireValid(Task task) {
        if (task == null) {
            throw new IllegalArgumentException("task must not be null");
        }
        if (task.getId() == null || task.getId().isBlank()) {
            throw new IllegalArgumentException("task id must not be empty");
        }
        if (task.getType() == null || task.getType().isBlank()) {
            throw new IllegalArgumentException("task " + task.getId() + ": type must not be empty");
        }
        if (task.getMaxAttempts() < MIN_ATTEMPTS || task.getMaxAttempts() > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("task " + task.getId() + ": maxAttempts must be between "
                    + MIN_ATTEMPTS + " and " + MAX_ATTEMPTS + ", was " + task.getMaxAttempts());
        }
    }
}
