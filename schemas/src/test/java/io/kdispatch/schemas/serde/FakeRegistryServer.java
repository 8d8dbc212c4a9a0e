package io.kdispatch.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/**
 * A test double of a registry <em>server</em> implementing the three Confluent REST calls the
 * client makes, under the base path {@code /apis/ccompat/v7} (as Apicurio serves it). It records
 * every request, can demand an Authorization header, force a canned response or redirect, or hold
 * requests until released (to provoke client timeouts). Binds 127.0.0.1 on a free port.
 */
final class FakeRegistryServer implements AutoCloseable {
    static final String BASE_PATH = "/apis/ccompat/v7";
    /** Names of the threads handling requests: the server's, not the client's under test. */
    static final String THREAD_PREFIX = "kdispatch-test-registry-";

    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private record Canned(int status, String body, String location) {
        Canned(int status, String body) {
            this(status, body, null);
        }
    }

    private final ObjectMapper json = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, String> schemasById = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new HashMap<>();
    private final AtomicInteger nextId = new AtomicInteger(1);
    private volatile String requiredAuthorization;
    private volatile Canned canned;
    private Canned once;
    private volatile CountDownLatch hold;

    FakeRegistryServer() throws IOException {
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newCachedThreadPool(r -> new Thread(r, THREAD_PREFIX + threads.incrementAndGet()));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext(BASE_PATH + "/", this::handle);
        server.start();
    }

    /** The base URL a client should be given. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + BASE_PATH;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Answers 401 unless the request carries exactly this Authorization header. */
    void requireAuthorization(String value) {
        requiredAuthorization = value;
    }

    /** Answers every following request with this status and body. */
    void respondWith(int status, String body) {
        canned = new Canned(status, body);
    }

    /** Answers only the next request with this status and body, then behaves normally again. */
    synchronized void respondOnceWith(int status, String body) {
        once = new Canned(status, body);
    }

    /** Answers every following request with this redirect status and Location header. */
    void redirectTo(int status, String location) {
        canned = new Canned(status, "", location);
    }

    /** Makes handlers wait until {@link #release()} (bounded by 30 s so a failing test cannot hang). */
    void holdRequests() {
        hold = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch latch = hold;
        if (latch != null) {
            latch.countDown();
        }
    }

    @Override
    public void close() {
        release();
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getRawPath().substring(BASE_PATH.length());
            requests.add(new Request(exchange.getRequestMethod(), path, Map.copyOf(exchange.getRequestHeaders()), body));
            awaitRelease();
            Canned reply = answer(exchange.getRequestMethod(), path, body,
                    exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", RestSchemaRegistryClient.CONTENT_TYPE);
            if (reply.location() != null) {
                exchange.getResponseHeaders().set("Location", reply.location());
            }
            exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    private void awaitRelease() {
        CountDownLatch latch = hold;
        if (latch != null) {
            try {
                latch.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized Canned answer(String method, String path, String body, String authorization)
            throws IOException {
        if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
            return error(401, 40101, "Unauthorized");
        }
        if (once != null) {
            Canned reply = once;
            once = null;
            return reply;
        }
        if (canned != null) {
            return canned;
        }
        String[] parts = path.split("/");
        if (method.equals("POST") && parts.length == 4 && parts[1].equals("subjects") && parts[3].equals("versions")) {
            return register(decode(parts[2]), schemaOf(body));
        }
        if (method.equals("POST") && parts.length == 3 && parts[1].equals("subjects")) {
            return lookup(decode(parts[2]), schemaOf(body));
        }
        if (method.equals("GET") && parts.length == 4 && path.startsWith("/schemas/ids/")) {
            String schema = schemasById.get(Integer.parseInt(parts[3]));
            return schema == null ? error(404, 40403, "Schema " + parts[3] + " not found")
                    : ok(json.createObjectNode().put("schema", schema));
        }
        return new Canned(404, "<html><body>Not Found</body></html>");
    }

    private Canned register(String subject, String schema) {
        int id = idsBySchema.computeIfAbsent(schema, s -> nextId.getAndIncrement());
        schemasById.put(id, schema);
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new CopyOnWriteArrayList<>());
        if (!versions.contains(id)) {
            versions.add(id);
        }
        return ok(json.createObjectNode().put("id", id));
    }

    private Canned lookup(String subject, String schema) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            return error(404, 40401, "Subject '" + subject + "' not found.");
        }
        Integer id = idsBySchema.get(schema);
        if (id == null || !versions.contains(id)) {
            return error(404, 40403, "Schema not found");
        }
        return ok(json.createObjectNode().put("subject", subject).put("version", versions.indexOf(id) + 1)
                .put("id", id).put("schema", schema));
    }

    /** The registry's notion of "same schema": the parsed, re-serialised form. */
    private String schemaOf(String body) throws IOException {
        JsonNode node = json.readTree(body);
        return new Schema.Parser().parse(node.path("schema").asText()).toString();
    }

    private Canned ok(ObjectNode node) {
        return new Canned(200, node.toString());
    }

    private Canned error(int status, int code, String message) {
        return new Canned(status, json.createObjectNode().put("error_code", code).put("message", message).toString());
    }

    private static String decode(String segment) {
        return URLDecoder.decode(segment, StandardCharsets.UTF_8);
    }
}
