package io.kdispatch.dispatcher.replay;

/** Headers on every record a replay writes to the intake, so a replayed task can be told from a new one. */
public final class ReplayHeaders {
    /** {@code true} on every replayed record. */
    public static final String REPLAY = "kdispatch.replay";
    /** The topic the record was copied from. */
    public static final String SOURCE_TOPIC = "kdispatch.replay.source-topic";
    /** Its partition there, in decimal. */
    public static final String SOURCE_PARTITION = "kdispatch.replay.source-partition";
    /** Its offset there, in decimal. */
    public static final String SOURCE_OFFSET = "kdispatch.replay.source-offset";

    private ReplayHeaders() {
    }
}
