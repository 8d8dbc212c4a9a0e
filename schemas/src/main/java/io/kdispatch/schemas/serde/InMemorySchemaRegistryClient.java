package io.kdispatch.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory, for topology and unit tests. Selected by the URL
 * {@code mock://<scope>}: every serde configured with the same scope in one JVM shares one
 * instance (the convention of Confluent's mock registry), so a serializer and a deserializer
 * created separately see the same IDs. {@link #dropScope(String)} forgets a scope between tests.
 *
 * <p>Behaves like a registry with compatibility checking off: the same schema gets the same global
 * ID under every subject; IDs start at 1. Errors mirror the REST protocol (HTTP 404 with error
 * codes 40401 subject not found, 40403 schema not found). Thread-safe; {@link #close()} does nothing
 * because the instance is shared.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
    private static final Map<String, InMemorySchemaRegistryClient> SCOPES = new ConcurrentHashMap<>();

    private final String name;
    private final Map<Schema, Integer> idsBySchema = new HashMap<>();
    private final Map<Integer, Schema> schemasById = new HashMap<>();
    private final Map<String, List<Schema>> versionsBySubject = new HashMap<>();
    private int nextId = 1;

    /** A private registry, not reachable through a {@code mock://} URL. */
    public InMemorySchemaRegistryClient() {
        this("mock:(private)");
    }

    private InMemorySchemaRegistryClient(String name) {
        this.name = name;
    }

    /** The shared instance for {@code mock://<scope>}, created on first use. */
    public static InMemorySchemaRegistryClient forScope(String scope) {
        Objects.requireNonNull(scope, "scope");
        return SCOPES.computeIfAbsent(scope, s -> new InMemorySchemaRegistryClient(SerdeConfig.MOCK_SCHEME + "://" + s));
    }

    /** Forgets the scope: the next {@link #forScope(String)} starts empty. Serdes already holding the old instance keep it. */
    public static void dropScope(String scope) {
        SCOPES.remove(scope);
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(schema, "schema");
        Integer id = idsBySchema.get(schema);
        if (id == null) {
            id = nextId++;
            idsBySchema.put(schema, id);
            schemasById.put(id, schema);
        }
        List<Schema> versions = versionsBySubject.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!versions.contains(schema)) {
            versions.add(schema);
        }
        return id;
    }

    @Override
    public synchronized int lookup(String subject, Schema schema) {
        List<Schema> versions = versionsBySubject.get(subject);
        String url = name + "/subjects/" + subject;
        if (versions == null) {
            throw new SchemaRegistryException("schema registry request POST " + url
                    + " failed: HTTP 404, error_code 40401: Subject '" + subject + "' not found",
                    url, 404, 40401, null);
        }
        if (!versions.contains(schema)) {
            throw new SchemaRegistryException("schema registry request POST " + url
                    + " failed: HTTP 404, error_code 40403: Schema " + schema.getFullName()
                    + " not found under subject '" + subject + "'", url, 404, 40403, null);
        }
        return idsBySchema.get(schema);
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemasById.get(id);
        if (schema == null) {
            String url = name + "/schemas/ids/" + id;
            throw new SchemaRegistryException("schema registry request GET " + url
                    + " failed: HTTP 404, error_code 40403: Schema " + id + " not found", url, 404, 40403, null);
        }
        return schema;
    }

    /** The subjects registered so far, for assertions in tests. */
    public synchronized List<String> subjects() {
        return List.copyOf(versionsBySubject.keySet());
    }

    /** Does nothing: the instance is shared by its scope (see {@link #dropScope(String)}). */
    @Override
    public void close() {
        // Shared per scope: closing one serde must not empty the registry under the others.
    }

    @Override
    public String toString() {
        return "InMemorySchemaRegistryClient[" + name + "]";
    }
}
