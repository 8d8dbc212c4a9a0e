package io.kdispatch.schemas.startup;

/**
 * A start-up step did not succeed: it failed in a way waiting cannot cure, the wait limit was
 * reached, or the wait was stopped ({@link StartupWait#cancel()}, an interrupt). The message names
 * the component, what it waited for and what to check.
 */
public final class StartupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean stopped;

    StartupException(String message, Throwable cause, boolean stopped) {
        super(message, cause);
        this.stopped = stopped;
    }

    /** True when the wait was stopped on purpose rather than given up on or failed. */
    public boolean stopped() {
        return stopped;
    }
}
