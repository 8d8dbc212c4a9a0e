package io.kdispatch.dispatcher.simulate;

/** A scenario file that cannot be read or breaks a rule; the message says where and what would do. */
public final class ScenarioException extends IllegalArgumentException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(String message, Throwable cause) {
        super(message, cause);
    }
}
