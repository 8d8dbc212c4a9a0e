package io.kdispatch.schemas;

import java.util.Map;

/**
 * The rules every intake {@link Task} must meet, declared once for the submit client (which refuses a
 * breach before anything is sent) and the dispatcher (which dead-letters a breach as
 * {@code INVALID_TASK} with the same message). Both report {@link #problem(Task)} verbatim, so a
 * producer sees exactly the reason the dispatcher would give.
 *
 * <p>The bounds protect the dispatcher's stores and decisions: task IDs are store keys and record keys,
 * label rules are evaluated against every candidate worker per decision, and every record that carries a
 * task (assignment, stored attempt, dead letter) must stay under Kafka's record limit, so payload, texts,
 * maps and lists are bounded. IDs, types, affinity keys and groups have no control characters: they are
 * logged one line each. Stateless and thread-safe.
 */
public final class TaskRules {
    /**
     * Largest tenant weight in fair queuing: the dispatcher accepts weights of 1 to this, and a worker clamps
     * the {@code tenantWeight} an assignment carries to it.
     */
    public static final int MAX_TENANT_WEIGHT = 1000;
    /** Longest accepted task ID, in characters. */
    public static final int MAX_ID_LENGTH = 512;
    /** Bounds of {@code maxAttempts}. */
    public static final int MIN_ATTEMPTS = 1;
    public static final int MAX_ATTEMPTS = 100;
    /** Most hard label rules (required labels plus label requirements) one task may carry. */
    public static final int MAX_LABEL_RULES = 64;
    /** Most values one {@code IN}/{@code NOT_IN} requirement may list. */
    public static final int MAX_REQUIREMENT_VALUES = 64;
    /** Most preferred labels, and most headers, one task may carry. */
    public static final int MAX_PREFERRED_LABELS = 64;
    public static final int MAX_HEADERS = 64;
    /**
     * Longest type, affinity key, anti-affinity group, label key or value, and header key, in characters:
     * they key the router's tables and the dispatcher's stores, and appear in its logs and explanations.
     */
    public static final int MAX_TEXT_LENGTH = 256;
    /** Longest header value (trace context and baggage fit), in characters. */
    public static final int MAX_HEADER_VALUE_LENGTH = 8_192;
    /**
     * Largest payload, in bytes. Every assignment, stored attempt (and its changelog record) and dead letter
     * carries the task, and Kafka's default record limit ({@code message.max.bytes}) is 1 MiB: half of it
     * leaves room for the rest of each of those records. A larger input belongs in a blob store, with its
     * address in the payload.
     */
    public static final int MAX_PAYLOAD_BYTES = 512 * 1024;
    /**
     * Largest task as encoded ({@link #encodedSize(Task)}): the payload and every text together. The limits of
     * each field alone would allow more (64 requirements of 64 values of 256 characters are 1 MiB); this keeps
     * a task's assignment, stored attempt and dead letter, with their history, under 1 MiB.
     */
    public static final int MAX_TASK_BYTES = 640 * 1024;
    /**
     * Bounds of {@code priority} (higher runs first; negative ones run after the default 0). Far beyond any
     * scheme of levels; a value outside is a bug in the producer, refused rather than silently ordered.
     */
    public static final int MIN_PRIORITY = -1_000_000;
    public static final int MAX_PRIORITY = 1_000_000;

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
        int control = controlCharacter(id);
        if (control >= 0) {
            return String.format("task id has the control character U+%04X at index %d (IDs appear in logs and"
                    + " tools, one line each)", (int) id.charAt(control), control);
        }
        if (task.getType() == null || task.getType().isBlank()) {
            return "task " + id + ": type must not be empty";
        }
        if (task.getMaxAttempts() < MIN_ATTEMPTS || task.getMaxAttempts() > MAX_ATTEMPTS) {
            return "task " + id + ": maxAttempts must be between " + MIN_ATTEMPTS + " and " + MAX_ATTEMPTS
                    + ", was " + task.getMaxAttempts();
        }
        if (task.getPriority() < MIN_PRIORITY || task.getPriority() > MAX_PRIORITY) {
            return "task " + id + ": priority must be between " + MIN_PRIORITY + " and " + MAX_PRIORITY
                    + ", was " + task.getPriority();
        }
        String problem = sizeProblem(task);
        problem = problem != null ? problem : labelProblem(task);
        long size = problem != null ? 0 : encodedSize(task);
        if (size > MAX_TASK_BYTES) {
            return "task " + id + ": is " + size + " bytes encoded, over the limit of " + MAX_TASK_BYTES;
        }
        return problem;
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

    /** The first field over its size limit, or null. */
    private static String sizeProblem(Task task) {
        String id = task.getId();
        int payload = task.getPayload() == null ? 0 : task.getPayload().remaining();
        if (payload > MAX_PAYLOAD_BYTES) {
            return "task " + id + ": payload is " + payload + " bytes, over the limit of " + MAX_PAYLOAD_BYTES;
        }
        String problem = text(id, "type", task.getType(), MAX_TEXT_LENGTH, true);
        problem = problem != null ? problem : text(id, "affinityKey", task.getAffinityKey(), MAX_TEXT_LENGTH, true);
        problem = problem != null ? problem
                : text(id, "antiAffinityGroup", task.getAntiAffinityGroup(), MAX_TEXT_LENGTH, true);
        problem = problem != null ? problem : map(id, "requiredLabels", task.getRequiredLabels(), Integer.MAX_VALUE,
                MAX_TEXT_LENGTH);
        problem = problem != null ? problem : map(id, "preferredLabels", task.getPreferredLabels(),
                MAX_PREFERRED_LABELS, MAX_TEXT_LENGTH);
        return problem != null ? problem : map(id, "headers", task.getHeaders(), MAX_HEADERS, MAX_HEADER_VALUE_LENGTH);
    }

    /**
     * The size of {@code task} in Avro's binary encoding, within a few bytes: its payload plus the UTF-8 bytes
     * of every text, each with a length prefix. Cheap (no encoding), so it can be checked on every task.
     */
    public static long encodedSize(Task task) {
        long size = 32 + (task.getPayload() == null ? 0 : task.getPayload().remaining()) + utf8(task.getId())
                + utf8(task.getType()) + utf8(task.getAffinityKey()) + utf8(task.getAntiAffinityGroup())
                + utf8(task.getRequiredLabels()) + utf8(task.getPreferredLabels()) + utf8(task.getHeaders());
        if (task.getLabelRequirements() != null) {
            for (LabelRequirement r : task.getLabelRequirements()) {
                size += 4 + utf8(r.getKey());
                for (String v : r.getValues()) {
                    size += utf8(v);
                }
            }
        }
        return size;
    }

    private static long utf8(Map<String, String> map) {
        long size = 0;
        if (map != null) {
            for (Map.Entry<String, String> e : map.entrySet()) {
                size += utf8(e.getKey()) + utf8(e.getValue());
            }
        }
        return size;
    }

    /** UTF-8 length of {@code s} plus its length prefix (counted as 2 bytes). */
    private static long utf8(String s) {
        if (s == null) {
            return 1;
        }
        long n = 2;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    /** A map over {@code maxEntries}, or with a key over {@link #MAX_TEXT_LENGTH} or a value over {@code maxValue}. */
    private static String map(String id, String field, Map<String, String> map, int maxEntries, int maxValue) {
        if (map == null) {
            return null;
        }
        if (map.size() > maxEntries) {
            return "task " + id + ": has " + map.size() + " " + field + ", over the limit of " + maxEntries;
        }
        for (Map.Entry<String, String> e : map.entrySet()) {
            String problem = text(id, field + " key", e.getKey(), MAX_TEXT_LENGTH, false);
            problem = problem != null ? problem : text(id, field + " value", e.getValue(), maxValue, false);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    /** Text over {@code max} characters (or, when {@code plain}, with a control character), or null. */
    private static String text(String id, String field, String value, int max, boolean plain) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            return "task " + id + ": " + field + " is " + value.length() + " characters long, over the limit of " + max;
        }
        if (plain && controlCharacter(value) >= 0) {
            return String.format("task %s: %s has the control character U+%04X", id, field,
                    (int) value.charAt(controlCharacter(value)));
        }
        return null;
    }

    /** Index of the first control character (C0, DEL, C1, line or paragraph separator) in {@code s}, or -1. */
    static int controlCharacter(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return i;
            }
        }
        return -1;
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
            String problem = requirementSize(task.getId(), requirement);
            if (problem != null) {
                return problem;
            }
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

    private static String requirementSize(String id, LabelRequirement requirement) {
        String problem = text(id, "label requirement key", requirement.getKey(), MAX_TEXT_LENGTH, false);
        if (problem != null || requirement.getValues() == null) {
            return problem;
        }
        if (requirement.getValues().size() > MAX_REQUIREMENT_VALUES) {
            return "task " + id + ": label requirement on '" + requirement.getKey() + "' lists "
                    + requirement.getValues().size() + " values, over the limit of " + MAX_REQUIREMENT_VALUES;
        }
        for (String value : requirement.getValues()) {
            problem = text(id, "label requirement value", value, MAX_TEXT_LENGTH, false);
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }
}
