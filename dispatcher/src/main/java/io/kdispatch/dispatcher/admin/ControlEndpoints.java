package io.kdispatch.dispatcher.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * The admin endpoints for run-time control: {@code GET /config} (effective settings), {@code PUT} or
 * {@code POST /config} with {@code {"key":"routing.strategy","value":"least-loaded"}} (a null value
 * returns the setting to its default), and {@code GET /workers} (the worker view with control states).
 *
 * <p>Writes need {@code Authorization: Bearer <token>}. Without a configured token every write is refused
 * with 403, because an open write endpoint on a shared host would let anyone reroute traffic.
 */
public final class ControlEndpoints {
    static final String ENABLE_HINT = "writes through the admin API are disabled: start the dispatcher with "
            + "--admin-token TOKEN (or admin.token=TOKEN in its config file), or use 'config set' on the command line";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BODY_BYTES = 64 * 1024;

    private final ControlApi api;

    private ControlEndpoints(ControlApi api) {
        this.api = api;
    }

    /** Adds {@code /config} and {@code /workers} to {@code server}. */
    public static void register(AdminServer server, ControlApi api) {
        ControlEndpoints endpoints = new ControlEndpoints(api);
        server.route("/config", endpoints::config);
        server.route("/workers", exchange -> {
            if (!"GET".equals(exchange.getRequestMethod())) {
                reply(exchange, new AdminServer.Reply(405, error("use GET /workers")));
                return;
            }
            reply(exchange, api.workers());
        });
    }

    private void config(HttpExchange exchange) throws IOException {
        switch (exchange.getRequestMethod()) {
            case "GET" -> reply(exchange, api.config());
            case "PUT", "POST" -> reply(exchange, write(exchange));
            default -> reply(exchange, new AdminServer.Reply(405, error("use GET, PUT or POST /config")));
        }
    }

    private AdminServer.Reply write(HttpExchange exchange) throws IOException {
        String token = api.writeToken();
        if (token == null) {
            return new AdminServer.Reply(403, error(ENABLE_HINT));
        }
        if (!authorized(exchange.getRequestHeaders().getFirst("Authorization"), token)) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            return new AdminServer.Reply(401, error("missing or wrong 'Authorization: Bearer <token>' header"));
        }
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        }
        if (bytes.length > MAX_BODY_BYTES) {
            return new AdminServer.Reply(413, error("body larger than " + MAX_BODY_BYTES + " bytes"));
        }
        JsonNode body;
        try {
            body = JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            return new AdminServer.Reply(400, error("body is not valid JSON: " + e.getOriginalMessage()));
        }
        if (body == null || !body.isObject() || !body.path("key").isTextual() || !body.has("value")
                || !(body.get("value").isTextual() || body.get("value").isNull())) {
            return new AdminServer.Reply(400, error("expected {\"key\":\"<setting>\",\"value\":\"<value>\"} "
                    + "(value null returns the setting to its default)"));
        }
        String value = body.get("value").isNull() ? null : body.get("value").asText();
        String by = body.path("by").isTextual() ? body.get("by").asText()
                : "admin-api@" + exchange.getRemoteAddress().getAddress().getHostAddress();
        return api.write(body.get("key").asText(), value, by);
    }

    private static boolean authorized(String header, String token) {
        if (header == null || !header.startsWith("Bearer ")) {
            return false;
        }
        byte[] presented = header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison: the time taken must not reveal how much of the token matched.
        return MessageDigest.isEqual(presented, token.getBytes(StandardCharsets.UTF_8));
    }

    private static void reply(HttpExchange exchange, AdminServer.Reply reply) throws IOException {
        AdminServer.respond(exchange, reply.status(), "application/json", reply.json());
    }

    static String error(String message) {
        try {
            return JSON.writeValueAsString(Map.of("error", message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the control endpoints ask of the dispatcher. Called on the admin thread. */
    public interface ControlApi {
        /** {@code GET /config}: the effective settings. */
        AdminServer.Reply config();

        /** {@code GET /workers}: the worker view with liveness and control state. */
        AdminServer.Reply workers();

        /**
         * A validated write: 200 with the stored value, 400 with the validation message, 503 when the
         * control topic did not take it.
         */
        AdminServer.Reply write(String key, String value, String issuedBy);

        /** The bearer token writes must present, or null while writes are disabled. */
        String writeToken();
    }
}
