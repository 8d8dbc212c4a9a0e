package io.kdispatch.schemas.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link SchemaRegistryClient} over the Confluent REST protocol (Confluent Schema Registry,
 * Apicurio under {@code /apis/ccompat/v7}, Karapace, Redpanda), built on
 * {@link java.net.HttpURLConnection} and Jackson. Caches subject+schema → ID and ID → schema without
 * expiry, like Confluent's client.
 *
 * <p>Defaults: connect timeout 5 s; {@link SerdeConfig#requestTimeout()} (10 s) bounds each wait
 * for the registry's answer. Speaks HTTP/1.1 without a proxy. Thread-safe; requests run on the
 * calling thread, which blocks until the answer or a timeout (an interrupt does not cut a request
 * short, but a thread already interrupted fails before sending).
 *
 * <p>Threads: none. Connections go back to the JDK's JVM-wide keep-alive cache; its daemon thread
 * {@code Keep-Alive-Timer} closes them once idle and ends by itself about 10 s after the last
 * request (see {@link HttpTransport}). That is why this client does not use
 * {@code java.net.http.HttpClient}, whose Java 17 threads live until garbage collection.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {
    /** Default TCP connect timeout. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
    private static final String ACCEPT =
            "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
    private static final Logger LOG = LoggerFactory.getLogger(RestSchemaRegistryClient.class);

    private final String baseUrl;
    private final Duration requestTimeout;
    private final HttpTransport http;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<SubjectSchema, Integer> ids = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemas = new ConcurrentHashMap<>();
    private volatile boolean closed;

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
        this.requestTimeout = config.requestTimeout();
        this.http = new HttpTransport(connectTimeout, requestTimeout, headers(config), CONTENT_TYPE);
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
        int id;
        try {
            id = send("POST", subjectPath(subject) + "/versions", schemaBody(schema)).path("id").asInt(-1);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() != 409) {
                throw e;
            }
            // Apicurio answers 409 ("artifact already exists") to the loser of two clients registering
            // the same new subject at once. If the schema is now there, that is a success; otherwise the
            // 409 was a real incompatibility and the original error stands.
            id = lookupAfterConflict(subject, schema, e);
        }
        requireId(id, "register " + schema.getFullName() + " under subject '" + subject + "'");
        LOG.info("registry {}: schema {} is id {} under subject '{}'", baseUrl, schema.getFullName(), id, subject);
        ids.put(key, id);
        schemas.putIfAbsent(id, schema);
        return id;
    }

    private int lookupAfterConflict(String subject, Schema schema, SchemaRegistryException conflict) {
        try {
            return send("POST", subjectPath(subject), schemaBody(schema)).path("id").asInt(-1);
        } catch (SchemaRegistryException notThere) {
            conflict.addSuppressed(notThere);
            throw conflict;
        }
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

    @Override
    public java.util.OptionalInt knownId(Schema schema) {
        return schemas.entrySet().stream().filter(e -> e.getValue().equals(schema)).mapToInt(Map.Entry::getKey).min();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Lists the subjects ({@code GET /subjects}): every Confluent-compatible registry serves it, and
     * with per-subject access control it lists what the caller may see instead of refusing.
     */
    @Override
    public void ping() {
        send("GET", "/subjects", null);
    }

    /**
     * Makes every later request fail with {@link IllegalStateException}. The client owns no thread
     * or socket, so there is nothing to stop; a request already running on another thread finishes
     * (within the timeouts). Idempotent.
     */
    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "RestSchemaRegistryClient[" + baseUrl + "]";
    }

    private JsonNode send(String method, String path, String body) {
        if (closed) {
            throw new IllegalStateException("schema registry client for " + baseUrl + " is closed");
        }
        String url = baseUrl + path;
        if (Thread.currentThread().isInterrupted()) {
            // Socket I/O ignores interrupts; failing here keeps an interrupted thread from blocking.
            throw new SchemaRegistryException("interrupted during schema registry request " + method + " " + url,
                    url, SchemaRegistryException.NO_RESPONSE, 0, null);
        }
        HttpTransport.Response response;
        try {
            response = http.exchange(method, url, body);
        } catch (IOException e) {
            throw RegistryErrors.transportFailure(method, url, baseUrl, requestTimeout, e);
        }
        if (response.status() / 100 == 3) {
            throw RegistryErrors.redirected(method, url, response.status(), response.location());
        }
        if (response.status() / 100 != 2) {
            throw RegistryErrors.httpFailure(method, url, response.status(), response.body(), json);
        }
        try {
            return json.readTree(response.body());
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry request " + method + " " + url + " returned HTTP "
                    + response.status() + " with a body that is not JSON: "
                    + RegistryErrors.abbreviate(response.body()), url, response.status(), 0, e);
        }
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

    private static Map<String, String> headers(SerdeConfig config) {
        Map<String, String> headers = new HashMap<>();
        headers.put("Accept", ACCEPT);
        String authorization = authorization(config);
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        return headers;
    }

    private static String authorization(SerdeConfig config) {
        if (config.basicAuthUserInfo() != null) {
            return "Basic " + Base64.getEncoder()
                    .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
        }
        return config.bearerToken() == null ? null : "Bearer " + config.bearerToken();
    }

    private record SubjectSchema(String subject, Schema schema) {
    }
}
