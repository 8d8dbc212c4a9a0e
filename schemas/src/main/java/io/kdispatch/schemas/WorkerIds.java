package io.kdispatch.schemas;

import java.util.regex.Pattern;

/**
 * Worker IDs become part of topic names ({@code dispatch.worker.<id>}), so only characters that are
 * legal in a Kafka topic name are allowed: {@code [a-zA-Z0-9._-]{1,200}}.
 */
public final class WorkerIds {
    /** Longest worker ID. */
    public static final int MAX_LENGTH = 200;
    /** The accepted shape of a worker ID, as a regular expression. */
    public static final String SHAPE = "[a-zA-Z0-9._-]{1," + MAX_LENGTH + "}";
    /** The accepted shape of a worker ID. */
    public static final Pattern PATTERN = Pattern.compile(SHAPE);

    private WorkerIds() {
    }

    /** True when {@code id} is a usable worker ID. */
    public static boolean isValid(String id) {
        return id != null && PATTERN.matcher(id).matches();
    }

    /**
     * Returns {@code id} unchanged when valid.
     *
     * @throws IllegalArgumentException naming the rule the ID breaks
     */
    public static String requireValid(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("invalid worker ID " + describe(id)
                    + ": it must match " + SHAPE + " because it becomes part of a topic name");
        }
        return id;
    }

    private static String describe(String id) {
        if (id == null) {
            return "(null)";
        }
        String shown = id.length() > 60 ? id.substring(0, 60) + "..." : id;
        return "'" + shown + "' (" + id.length() + " chars)";
    }
}
