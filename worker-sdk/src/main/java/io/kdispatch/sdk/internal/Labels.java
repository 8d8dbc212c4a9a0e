package io.kdispatch.sdk.internal;

import java.util.Map;

/** Checks worker labels, which the dispatcher matches against tasks' label requirements. */
final class Labels {
    private Labels() {
    }

    static Map<String, String> validate(Map<String, String> labels) {
        if (labels == null) {
            throw new IllegalArgumentException("labels must not be null (use an empty map)");
        }
        labels.forEach((key, value) -> {
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException("label keys must not be empty, got '" + key + "'");
            }
            if (value == null) {
                throw new IllegalArgumentException("label '" + key + "' has no value (null); use \"\" for a flag");
            }
        });
        return labels;
    }
}
