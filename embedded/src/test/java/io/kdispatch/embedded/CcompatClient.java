package io.kdispatch.embedded;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The few Confluent-protocol calls the tests make, over plain HTTP. It uses
 * {@link HttpURLConnection}, which starts no thread of its own, so thread-leak checks around a
 * registry can use it.
 */
final class CcompatClient {

    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MS = 10_000;

    private final String baseUrl;

    CcompatClient(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** POST /subjects/{subject}/versions with {"schema": schemaJson}; returns the schema ID. */
    int register(String subject, String schemaJson) throws IOException {
        byte[] body = JSON.writeValueAsBytes(Map.of("schema", schemaJson));
        return call("POST", "/subjects/" + subject + "/versions", body).get("id").asInt();
    }

    /** GET /schemas/ids/{id}; returns the schema, parsed. */
    JsonNode schemaById(int id) throws IOException {
        return JSON.readTree(call("GET", "/schemas/ids/" + id, null).get("schema").asText());
    }

    private JsonNode call(String method, String path, byte[] body) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(baseUrl + path).toURL().openConnection();
        try {
            connection.setRequestMethod(method);
            connection.setConnectTimeout(TIMEOUT_MS);
            connection.setReadTimeout(TIMEOUT_MS);
            connection.setRequestProperty("Accept", CONTENT_TYPE);
            if (body != null) {
                connection.setDoOutput(true);
                connection.setRequestProperty("Content-Type", CONTENT_TYPE);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = connection.getResponseCode();
            try (InputStream in = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                String answer = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (status != 200) {
                    throw new IOException(method + " " + path + " answered " + status + ": " + answer);
                }
                return JSON.readTree(answer);
            }
        } finally {
            connection.disconnect();
        }
    }
}
