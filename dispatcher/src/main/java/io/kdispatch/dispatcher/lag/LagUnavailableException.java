package io.kdispatch.dispatcher.lag;

/** The cluster did not answer a lag measurement (unreachable, timed out, or refused it). */
public final class LagUnavailableException extends RuntimeException {
    public LagUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
