package io.kdispatch.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the Confluent REST protocol (Confluent Schema Registry,
 * Apicurio under {@code /apis/ccompat/v7}, Karapace, Redpanda), built on {@link HttpClient} and
 * Jackson. Caches subject+schema → ID and ID → schema without expiry, like Confluent's client.
 *
 * <p>Defaults: connect timeout 5 s, request timeout from {@link SerdeConfig#requestTimeout()}
 * (10 s). Speaks HTTP/1.1 (no h2c upgrade, which some proxies mishandle). Thread-safe.
 *
 * <p>Threads: Java 17's {@code HttpClient} has no {@code close()}, and its default executor is a
 * pool nobody can shut down. So the client gets an executor this class owns (threads named
 * {@code kdispatch-schema-registry-<n>-<m>}), shut down by {@link #close()}. The JDK's own selector
 * thread ({@code HttpClient-<n>-SelectorManager}, a daemon) ends once the {@code HttpClient} is
 * garbage, which is why {@link #close()} also drops the reference; on Java 21+ the client's own
 * {@code close()} is called as well.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    /** Default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);
    private static final AtomicInteger CLIENT_NUMBERS = new AtomicInteger();

    private final String baseUrl;
    private final String authorization;
    private final Duration requestTimeout;
    private final ExecutorService executor;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile HttpClient http;

    /**
     * A client for the registry in {@code config} (which must not be a {@code mock://} URL).
     *
     * @param connectTimeout TCP connect timeout, positive
     */
    public RestSchemaRegistryClient(SerdeConfig config, Duration connectTimeout) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (config.isMock()) {
            throw new IllegalArgumentException(config.registryUrl()
                    + " selects the in-memory registry; use SchemaRegistryClient.forConfig(config)");
        }
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connectTimeout must be positive, got " + connectTimeout);
        }
        this.baseUrl = config.registryUrl();
        this.authorization = authorization(config);
        this.requestTimeout = config.requestTimeout();
        this.executor = Executors.newCachedThreadPool(threadFactory(CLIENT_NUMBERS.incrementAndGet()));
        this.http = HttpClient.newBuilder()
                .executor(executor)
                .connectTimeout(connectTimeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** A client for {@code config} with the default connect timeout of 5 s. */
    public static RestSchemaRegistryClient create(SerdeConfig config) {
        return new RestSchemaRegistryClient(config, DEFAULT_CONNECT_TIMEOUT);
    }

    @Override
    public int register(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        int id = send("POST", subjectPath(subject) + "/versions", schemaBody(schema)).path("id").asInt(-1);
        requireId(id, "register " + schema.getFullName() + " under subject '" + subject + "'");
        LOG.info("registry {}: schema {} is id {} under subject '{}'", baseUrl, schema.getFullName(), id, subject);
        ids.put(key, id);
        schemas.putIfAbsent(id, schema);
        return id;
    }

    @Override
    public int lookup(String subject, Schema schema) {
        SubjectSchema key = new SubjectSchema(subject, schema);
        Integer cached = ids.get(key);
        if (cached != null) {
            return cached;
        }
        int id = send("POST", subjectPath(subject), schemaBody(schema)).path("id").asInt(-1);
        requireId(id, "look up " + schema.getFullName() + " under subject '" + subject + "'");
        ids.put(key, id);
        schemas.putIfAbsent(id, schema);
        return id;
    }

    /**
     * {@inheritDoc}
     *
     * @throws UnknownSchemaException when the registry's schema under this ID is not Avro
     */
    @Override
    public Schema getById(int id) {
        Schema cached = schemas.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode body = send("GET", "/schemas/ids/" + id, null);
        String type = body.path("schemaType").asText("AVRO");
        if (!type.equals("AVRO")) {
            throw new UnknownSchemaException(id, "schema id " + id + " at " + baseUrl + " is a " + type
                    + " schema, not Avro");
        }
        Schema schema;
        try {
            schema = new Schema.Parser().parse(body.path("schema").asText(""));
        } catch (SchemaParseException e) {
            throw new UnknownSchemaException(id, "schema id " + id + " at " + baseUrl
                    + " is not a valid Avro schema: " + e.getMessage(), e);
        }
        Schema previous = schemas.putIfAbsent(id, schema);
        return previous != null ? previous : schema;
    }

    /** Shuts down the HTTP executor and waits up to 5 s for its threads to end. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        HttpClient client = http;
        http = null;
        closeIfJava21(client);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("registry {}: HTTP threads did not stop within 5 s of close()", baseUrl);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The current HttpClient, or null once closed; for the test that checks close() drops it. */
    HttpClient httpClient() {
        return http;
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient[" + baseUrl + "]";
    }

    private JsonNode send(String method, String path, String body) {
        HttpClient client = http;
        if (client == null) {
            throw new IllegalStateException("schema registry client for " + baseUrl + " is closed");
        }
        String url = baseUrl + path;
        HttpResponse<String> response;
        try {
            response = client.send(request(method, url, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException | RejectedExecutionException e) {
            throw RegistryErrors.transportFailure(method, url, baseUrl, requestTimeout, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted during schema registry request " + method + " " + url,
                    url, SchemaRegistryException.NO_RESPONSE, 0, e);
        }
        if (response.statusCode() / 100 != 2) {
            throw RegistryErrors.httpFailure(method, url, response.statusCode(), response.body(), json);
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry request " + method + " " + url + " returned HTTP "
                    + response.statusCode() + " with a body that is not JSON: "
                    + RegistryErrors.abbreviate(response.body()), url, response.statusCode(), 0, e);
        }
    }

    private HttpRequest request(String method, String url, String body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
                .timeout(requestTimeout)
                .header("Accept", ACCEPT);
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        if (body == null) {
            return builder.GET().build();
        }
        return builder.header("Content-Type", CONTENT_TYPE)
                .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build();
    }

    private String schemaBody(Schema schema) {
        // schemaType is left out: the protocol defaults to AVRO and older registries reject the field.
        return json.createObjectNode().put("schema", schema.toString()).toString();
    }

    private void requireId(int id, String what) {
        if (id < 0) {
            throw new SchemaRegistryException("schema registry at " + baseUrl + " did not return an id to " + what,
                    baseUrl, 200, 0, null);
        }
    }

    private static String subjectPath(String subject) {
        Objects.requireNonNull(subject, "subject");
        return "/subjects/" + URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String authorization(SerdeConfig config) {
        if (config.basicAuthUserInfo() != null) {
            return "Basic " + Base64.getEncoder()
                    .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
        }
        return config.bearerToken() == null ? null : "Bearer " + config.bearerToken();
    }

    private static ThreadFactory threadFactory(int clientNumber) {
        AtomicInteger threadNumbers = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable,
                    "kdispatch-schema-registry-" + clientNumber + "-" + threadNumbers.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Java 21 made HttpClient AutoCloseable; on 17 this does nothing. */
    private static void closeIfJava21(HttpClient client) {
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                LOG.debug("closing HttpClient failed", e);
            }
        }
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
