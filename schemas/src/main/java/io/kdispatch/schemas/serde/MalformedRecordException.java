package io.kdispatch.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The bytes of a record are not a valid Confluent-wire-format Avro record: too short for the
 * 5-byte header, a magic byte other than 0, or an Avro body that does not decode with its writer
 * schema. Retrying cannot help; the dispatcher dead-letters such records as {@code MALFORMED}.
 */
public class MalformedRecordException extends SerializationException {
    private static final long serialVersionUID = 1L;

    public MalformedRecordException(String message) {
        super(message);
    }

    public MalformedRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
