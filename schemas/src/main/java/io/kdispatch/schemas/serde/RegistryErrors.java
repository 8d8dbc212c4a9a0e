package io.kdispatch.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;

/** Turns failed registry requests into {@link SchemaRegistryException}s with messages a user can act on. */
final class RegistryErrors {
    private static final int MAX_BODY_CHARS = 300;

    private RegistryErrors() {
    }

    /** The registry answered with a non-2xx status. */
    static SchemaRegistryException httpFailure(String method, String url, int status, String body, ObjectMapper json) {
        int errorCode = 0;
        String detail;
        try {
            JsonNode node = json.readTree(body == null ? "" : body);
            errorCode = node == null ? 0 : node.path("error_code").asInt(0);
            String message = node == null ? "" : node.path("message").asText("");
            detail = errorCode != 0 || !message.isEmpty()
                    ? "error_code " + errorCode + ", message: " + message
                    : "body: " + abbreviate(body);
        } catch (IOException e) {
            detail = "body: " + abbreviate(body);
        }
        String message = "schema registry request " + method + " " + url + " failed: HTTP " + status + ", " + detail
                + hint(status, errorCode);
        return new SchemaRegistryException(message, url, status, errorCode, null);
    }

    /** A redirect the transport did not follow (one between http and https). */
    static SchemaRegistryException redirected(String method, String url, int status, String location) {
        String message = "schema registry request " + method + " " + url + " was redirected (HTTP " + status + ") to "
                + (location == null ? "an unnamed location" : location) + "; set " + SerdeConfig.REGISTRY_URL
                + " to the address the registry answers on (redirects between http and https are not followed)";
        return new SchemaRegistryException(message, url, status, 0, null);
    }

    /** No usable response: refused, timed out, or another I/O failure. */
    static SchemaRegistryException transportFailure(String method, String url, String baseUrl,
                                                    Duration requestTimeout, Exception e) {
        String message;
        if (e instanceof HttpTransport.ConnectTimeoutException) {
            message = "schema registry at " + baseUrl + " is unreachable: no connection within the connect timeout ("
                    + method + " " + url + ")";
        } else if (e instanceof SocketTimeoutException) {
            message = "schema registry at " + baseUrl + " did not answer " + method + " " + url + " within "
                    + requestTimeout.toMillis() + " ms (" + SerdeConfig.REQUEST_TIMEOUT_MS + ")";
        } else if (hasCause(e, ConnectException.class) || hasCause(e, UnknownHostException.class)
                || hasCause(e, NoRouteToHostException.class)) {
            message = "schema registry at " + baseUrl + " is unreachable: " + connectFailure(e) + " (" + method + " "
                    + url + "); check " + SerdeConfig.REGISTRY_URL + " and that the registry is running";
        } else {
            message = "schema registry request " + method + " " + url + " failed without a response: " + rootMessage(e);
        }
        return new SchemaRegistryException(message, url, SchemaRegistryException.NO_RESPONSE, 0, e);
    }

    static String abbreviate(String body) {
        if (body == null || body.isEmpty()) {
            return "(empty)";
        }
        String flat = body.replaceAll("\\s+", " ").strip();
        return flat.length() <= MAX_BODY_CHARS ? flat : flat.substring(0, MAX_BODY_CHARS) + "...";
    }

    private static String hint(int status, int errorCode) {
        switch (status) {
            case 401:
            case 403:
                return " (check " + SerdeConfig.BASIC_AUTH_USER_INFO + " or " + SerdeConfig.BEARER_AUTH_TOKEN + ")";
            case 404:
                return errorCode == 0
                        ? " (is " + SerdeConfig.REGISTRY_URL + " the API root? for Apicurio it ends in /apis/ccompat/v7)"
                        : "";
            case 409:
                return " (incompatible schema: the subject's compatibility rule refuses it; give new fields"
                        + " defaults or change the rule)";
            case 422:
                return " (the registry considers the schema or request invalid)";
            default:
                return status >= 500 ? " (registry-side failure; retry later)" : "";
        }
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** What the JDK says went wrong; an unknown host's exception carries only the host name. */
    private static String connectFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() == null || t.getMessage().isBlank()) {
                continue;
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + t.getMessage();
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return t.getMessage();
            }
        }
        return "connection refused";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
    }
}
