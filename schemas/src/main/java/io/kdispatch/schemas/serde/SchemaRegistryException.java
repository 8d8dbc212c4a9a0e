package io.kdispatch.schemas.serde;

import org.apache.kafka.common.KafkaException;

/**
 * A registry request failed: the registry answered with an error status, or could not be reached.
 *
 * <p>Deliberately not a {@link org.apache.kafka.common.errors.SerializationException}: an
 * unreachable or failing registry says nothing about the record, so handlers that dead-letter bad
 * records must not dead-letter on this (retry or stop instead). The one case that does describe the
 * record, an unknown schema ID, is turned into {@link UnknownSchemaException} by the deserializer.
 */
public class SchemaRegistryException extends KafkaException {
    private static final long serialVersionUID = 1L;

    /** {@link #httpStatus()} when no HTTP response was received. */
    public static final int NO_RESPONSE = -1;

    private final String url;
    private final int httpStatus;
    private final int errorCode;

    /**
     * @param url the request URL (never carries credentials)
     * @param httpStatus the HTTP status, or {@link #NO_RESPONSE}
     * @param errorCode the registry's {@code error_code} (e.g. 40403), or 0 when it sent none
     */
    public SchemaRegistryException(String message, String url, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** The request URL. */
    public String url() {
        return url;
    }

    /** The HTTP status, or {@link #NO_RESPONSE} when the registry did not answer. */
    public int httpStatus() {
        return httpStatus;
    }

    /** The registry's {@code error_code}, or 0 when it sent none. */
    public int errorCode() {
        return errorCode;
    }

    /** True for HTTP 404: subject, version or schema not found. */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    /** True when retrying later may succeed: no response, HTTP 408, 429 or a 5xx status. */
    public boolean isRetriable() {
        return httpStatus == NO_RESPONSE || httpStatus == 408 || httpStatus == 429 || httpStatus >= 500;
    }
}
