package io.kdispatch.schemas.serde;

import org.apache.avro.Schema;

/**
 * The subset of the Confluent schema registry protocol the serdes need. Implementations cache
 * subject+schema → ID and ID → schema without expiry (IDs are immutable in the registry), so
 * each schema costs one request per client.
 *
 * <p>Implementations are thread-safe. Errors are {@link SchemaRegistryException}s whose message
 * names the URL, the HTTP status and the registry's error code and message.
 */
public interface SchemaRegistryClient extends AutoCloseable {
    /**
     * Registers {@code schema} under {@code subject} (a no-op returning the existing ID when it is
     * already registered there) and returns its global ID.
     *
     * @throws SchemaRegistryException e.g. HTTP 409 when the subject's compatibility rule refuses it
     */
    int register(String subject, Schema schema);

    /**
     * Returns the ID of {@code schema} under {@code subject} without registering it.
     *
     * @throws SchemaRegistryException HTTP 404 when the subject or the schema is not registered
     */
    int lookup(String subject, Schema schema);

    /**
     * Returns the schema with the given global ID.
     *
     * @throws SchemaRegistryException HTTP 404 (error code 40403) when no schema has this ID
     */
    Schema getById(int id);

    /**
     * Makes one cheap request, to learn whether the registry answers at all (start-up waits use it).
     * The default does nothing: a client without a remote registry always answers.
     *
     * @throws SchemaRegistryException when the request failed; {@link SchemaRegistryException#isRetriable()}
     *     tells whether the registry did not answer (yet) or answered with an error
     */
    default void ping() {
    }

    /**
     * The ID this client already holds for {@code schema} under any subject, without a request; empty when it
     * holds none. The default holds none.
     */
    default java.util.OptionalInt knownId(Schema schema) {
        return java.util.OptionalInt.empty();
    }

    /** Releases resources (threads, connections). Idempotent. */
    @Override
    void close();

    /**
     * The client a {@link SerdeConfig} selects: the shared {@link InMemorySchemaRegistryClient} of
     * the scope for {@code mock://<scope>}, else a new {@link RestSchemaRegistryClient} the caller
     * must close, which waits out a registry that is away for up to {@link SerdeConfig#retryTimeout()}
     * (see {@link RetryingSchemaRegistryClient}).
     */
    static SchemaRegistryClient forConfig(SerdeConfig config) {
        if (config.isMock()) {
            return InMemorySchemaRegistryClient.forScope(config.mockScope());
        }
        return new RetryingSchemaRegistryClient(RestSchemaRegistryClient.create(config), config.retryTimeout());
    }
}
