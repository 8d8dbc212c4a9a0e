package io.kdispatch.sdk.internal;

import io.kdispatch.schemas.ResultStatus;

/**
 * How one attempt ended, before it becomes a {@code TaskResult}.
 *
 * @param status the result status
 * @param output the handler's output ({@code null} unless it succeeded and returned some)
 * @param error the reason it failed or was rejected ({@code null} when it succeeded)
 */
record Outcome(ResultStatus status, byte[] output, String error) {

    static Outcome succeeded(byte[] output) {
        return new Outcome(ResultStatus.SUCCEEDED, output, null);
    }

    static Outcome failed(String error) {
        return new Outcome(ResultStatus.FAILED, null, error);
    }

    static Outcome rejected(String reason) {
        return new Outcome(ResultStatus.REJECTED, null, reason);
    }

    /** Not an outcome but a sign of life: the attempt still runs, extend its lease. */
    static Outcome leaseExtension() {
        return new Outcome(ResultStatus.LEASE_EXTENSION, null, null);
    }

    /** The handler threw: its message, or its class when it has none, becomes the error. */
    static Outcome threw(Throwable t) {
        String message = t.getMessage();
        return failed(message == null || message.isBlank() ? t.getClass().getName() : message);
    }
}
