package io.kdispatch.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The record's header names a schema the reader cannot use: the schema ID is not in the registry,
 * the registry holds no Avro schema under it, or the writer schema cannot be read as the target
 * type (Avro schema resolution fails). The dispatcher dead-letters such records as
 * {@code UNKNOWN_SCHEMA}.
 */
public class UnknownSchemaException extends SerializationException {
    private static final long serialVersionUID = 1L;

    private final int schemaId;

    public UnknownSchemaException(int schemaId, String message) {
        super(message);
        this.schemaId = schemaId;
    }

    public UnknownSchemaException(int schemaId, String message, Throwable cause) {
        super(message, cause);
        this.schemaId = schemaId;
    }

    /** The schema ID read from the record header. */
    public int schemaId() {
        return schemaId;
    }
}
