package io.kdispatch.dispatcher.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The dispatcher's admin HTTP endpoint: {@code /metrics} (Prometheus text format), {@code /health}
 * (200 when the dispatcher can process, 503 otherwise) and {@code /tasks/{id}} (why a task went where
 * it went). Binds loopback unless told otherwise.
 *
 * <p>The JDK's built-in server is enough for a few read-only endpoints and adds no dependency; it runs
 * on one named thread that {@link #close()} stops.
 */
public final class AdminServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    /**
     * @param host address to bind, e.g. {@code 127.0.0.1} (default) or {@code 0.0.0.0} in a container
     * @param port port to bind; 0 picks a free one
     * @param scrape produces the {@code /metrics} body in Prometheus text format
     * @param health reports whether the dispatcher is healthy, and a one-word state
     */
    public AdminServer(String host, int port, Supplier<String> scrape, Supplier<Health> health, TaskLookup tasks)
            throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 16);
        executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "kdispatch-admin-http"));
        server.setExecutor(executor);
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", scrape.get()));
        server.createContext("/health", exchange -> {
            Health h = health.get();
            respond(exchange, h.up() ? 200 : 503, "application/json",
                    "{\"status\":\"" + (h.up() ? "UP" : "DOWN") + "\",\"streams\":\"" + h.state() + "\"}");
        });
        server.createContext("/tasks/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String taskId = path.substring("/tasks/".length());
            if (taskId.isEmpty()) {
                respond(exchange, 400, "application/json", "{\"error\":\"usage: /tasks/{taskId}\"}");
                return;
            }
            String query = exchange.getRequestURI().getQuery();
            Reply reply = tasks.lookup(taskId, query != null && query.contains("local=true"));
            respond(exchange, reply.status(), "application/json", reply.json());
        });
        server.start();
    }

    /**
     * Serves {@code path} with {@code handler} too (on the admin thread), e.g. the control endpoints of
     * {@link ControlEndpoints}.
     */
    public void route(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080}. */
    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + port();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void respond(HttpExchange exchange, int status, String contentType, String body)
            throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Looks a task up for {@code /tasks/{id}}. */
    public interface TaskLookup {
        /**
         * @param localOnly answer from this instance's stores only (a forwarded request)
         */
        Reply lookup(String taskId, boolean localOnly);
    }

    /** An HTTP status and a JSON body. */
    public record Reply(int status, String json) {
    }

    /** What {@code /health} reports. */
    public record Health(boolean up, String state) {
    }
}
