package io.kdispatch.schemas.serde;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP/1.1 exchange at a time over {@link HttpURLConnection}, entirely on the calling thread.
 *
 * <p>Why not {@code java.net.http.HttpClient}: on Java 17 it has no {@code close()}, and its
 * {@code HttpClient-<n>-SelectorManager} thread lives until the client is garbage-collected
 * (about 60 s observed), which breaks the rule that closing a component leaves no thread it
 * started. This class starts none.
 *
 * <p>Connections: a response read to its end hands its connection back to the JDK's keep-alive
 * cache, which is shared by the whole JVM (keyed by host and port, so every client of the same
 * registry reuses it). The JDK's own daemon thread {@code Keep-Alive-Timer} closes connections idle
 * for 5 s (or the server's {@code Keep-Alive: timeout}) and ends once the cache is empty: measured
 * on Java 17.0.15, 10 s after the last request. Nobody owns that thread, so it outlives
 * {@code close()} by those seconds and then ends without garbage collection. A failed exchange
 * disconnects instead, so a half-used socket is never reused.
 *
 * <p>Timeouts: {@code connectTimeout} bounds the TCP (and TLS) connect; {@code readTimeout} bounds
 * every wait for bytes of the response, so a registry that does not answer fails after it. No proxy
 * is used (like {@code HttpClient}'s default), whatever {@code http.proxyHost} says. Redirects are
 * followed within the same scheme; a redirect between http and https is returned as the 3xx
 * response with its {@link Response#location()}.
 *
 * <p>Thread-safe: holds only immutable settings.
 */
final class HttpTransport {
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final Map<String, String> headers;
    private final String bodyContentType;

    /** A response: status, body decoded by its charset (UTF-8 if none), and the Location header or null. */
    record Response(int status, String body, String location) {
    }

    /**
     * The TCP connect timed out. {@link SocketTimeoutException} also reports read timeouts, so this
     * subclass keeps "no connection" apart from "no answer".
     */
    static final class ConnectTimeoutException extends SocketTimeoutException {
        private static final long serialVersionUID = 1L;

        ConnectTimeoutException(String url, SocketTimeoutException cause) {
            super("no connection to " + url + " within the connect timeout");
            initCause(cause);
        }
    }

    /**
     * @param headers sent with every request
     * @param bodyContentType the Content-Type of request bodies
     */
    HttpTransport(Duration connectTimeout, Duration readTimeout, Map<String, String> headers, String bodyContentType) {
        this.connectTimeoutMillis = millis(connectTimeout);
        this.readTimeoutMillis = millis(readTimeout);
        this.headers = Map.copyOf(headers);
        this.bodyContentType = bodyContentType;
    }

    /**
     * Sends {@code body} (UTF-8, or no body when null) and reads the whole response.
     *
     * @throws ConnectTimeoutException when no connection was made within the connect timeout
     * @throws SocketTimeoutException when the server stayed silent longer than the read timeout
     * @throws IOException on any other failure to get a response
     */
    Response exchange(String method, String url, String body) throws IOException {
        HttpURLConnection connection = open(method, url, body != null);
        try {
            connect(connection, url);
            if (body != null) {
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = connection.getResponseCode();
            return new Response(status, readBody(connection, status), connection.getHeaderField("Location"));
        } catch (IOException | RuntimeException e) {
            // Closes the socket rather than letting the keep-alive cache hand out a half-used one.
            connection.disconnect();
            throw e;
        }
    }

    private HttpURLConnection open(String method, String url, boolean withBody) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection(Proxy.NO_PROXY);
        connection.setRequestMethod(method);
        connection.setConnectTimeout(connectTimeoutMillis);
        connection.setReadTimeout(readTimeoutMillis);
        connection.setUseCaches(false);
        connection.setInstanceFollowRedirects(true);
        headers.forEach(connection::setRequestProperty);
        if (withBody) {
            // Not in streaming mode: the buffered body lets HttpURLConnection resend it on a 307 redirect.
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", bodyContentType);
        }
        return connection;
    }

    private static void connect(HttpURLConnection connection, String url) throws IOException {
        try {
            connection.connect();
        } catch (SocketTimeoutException e) {
            throw new ConnectTimeoutException(url, e);
        }
    }

    private static String readBody(HttpURLConnection connection, int status) throws IOException {
        InputStream stream = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
        if (stream == null) {
            return "";
        }
        // Reading to the end and closing is what returns the connection to the keep-alive cache.
        try (stream) {
            return new String(stream.readAllBytes(), charsetOf(connection.getContentType()));
        }
    }

    /** The charset parameter of a Content-Type, or UTF-8 (the JSON default) when absent or unknown. */
    static Charset charsetOf(String contentType) {
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        for (String parameter : contentType.split(";")) {
            String trimmed = parameter.strip();
            if (trimmed.regionMatches(true, 0, "charset=", 0, "charset=".length())) {
                String name = trimmed.substring("charset=".length()).replace("\"", "").strip();
                try {
                    return Charset.forName(name);
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    /** HttpURLConnection takes int milliseconds, where 0 means "wait forever": clamp to 1 ms .. int max. */
    private static int millis(Duration duration) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, duration.toMillis()));
    }
}
