package io.kdispatch.dispatcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kdispatch.schemas.Task;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one task from a JSON line, e.g.
 * {@code {"id":"t-1","type":"echo","payload":"hi","priority":5,"require":{"gpu":"true"},
 * "prefer":{"zone":"a"},"affinityKey":"c-7","antiAffinityGroup":"job-3","maxAttempts":3,
 * "deadline":"2026-12-01T00:00:00Z","headers":{}}}. Unknown fields are refused, so a typo never
 * silently drops a routing hint.
 */
final class TaskJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("id", "type", "payload", "payloadBase64", "priority",
            "require", "prefer", "affinityKey", "antiAffinityGroup", "maxAttempts", "deadline", "headers");

    private TaskJson() {
    }

    /**
     * @throws IllegalArgumentException saying what is wrong with the line
     */
    static Task parse(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new IllegalArgumentException("unknown field '" + field + "' (known: " + new java.util.TreeSet<>(FIELDS) + ")");
            }
        }
        Task.Builder task = Task.newBuilder()
                .setId(requiredText(object, "id"))
                .setType(requiredText(object, "type"))
                .setPayload(ByteBuffer.wrap(payload(object)))
                .setRequiredLabels(stringMap(object, "require"))
                .setPreferredLabels(stringMap(object, "prefer"))
                .setHeaders(stringMap(object, "headers"))
                .setAffinityKey(optionalText(object, "affinityKey"))
                .setAntiAffinityGroup(optionalText(object, "antiAffinityGroup"));
        if (object.has("priority")) {
            task.setPriority(integer(object, "priority"));
        }
        if (object.has("maxAttempts")) {
            task.setMaxAttempts(integer(object, "maxAttempts"));
        }
        String deadline = optionalText(object, "deadline");
        if (deadline != null) {
            try {
                task.setDeadline(Instant.parse(deadline));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("deadline '" + deadline + "' is not an ISO-8601 instant such as "
                        + "2026-12-01T00:00:00Z");
            }
        }
        return task.build();
    }

    private static byte[] payload(ObjectNode object) {
        if (object.has("payload") && object.has("payloadBase64")) {
            throw new IllegalArgumentException("give either payload or payloadBase64, not both");
        }
        if (object.has("payloadBase64")) {
            try {
                return Base64.getDecoder().decode(requiredText(object, "payloadBase64"));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("payloadBase64 is not valid base64");
            }
        }
        String text = optionalText(object, "payload");
        return text == null ? new byte[0] : text.getBytes(StandardCharsets.UTF_8);
    }

    private static String requiredText(ObjectNode object, String field) {
        String value = optionalText(object, field);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("missing required field '" + field + "'");
        }
        return value;
    }

    private static String optionalText(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    private static int integer(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        if (!value.isInt()) {
            throw new IllegalArgumentException("field '" + field + "' must be a 32-bit integer, was " + value);
        }
        return value.intValue();
    }

    private static Map<String, String> stringMap(ObjectNode object, String field) {
        JsonNode value = object.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return map;
        }
        if (!value.isObject()) {
            throw new IllegalArgumentException("field '" + field + "' must be an object of strings");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("field '" + field + "." + e.getKey() + "' must be a string");
            }
            map.put(e.getKey(), e.getValue().asText());
        }
        return map;
    }
}
