package io.kdispatch.schemas;

import java.util.Objects;

/**
 * The topic names the dispatcher and the workers agree on. All names derive from one prefix
 * (default {@code dispatch}), so several independent installations can share a cluster.
 *
 * @param prefix the common prefix, without the trailing dot
 */
public record Topics(String prefix) {
    /** The default prefix: topics are {@code dispatch.tasks}, {@code dispatch.results}, ... */
    public static final String DEFAULT_PREFIX = "dispatch";

    public Topics {
        Objects.requireNonNull(prefix, "prefix");
        if (!prefix.matches("[a-zA-Z0-9._-]{1,100}")) {
            throw new IllegalArgumentException("invalid topic prefix '" + prefix
                    + "': it must match [a-zA-Z0-9._-]{1,100}");
        }
    }

    /** Topics with the default prefix. */
    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    /** Intake: tasks keyed by task ID. */
    public String tasks() {
        return prefix + ".tasks";
    }

    /** Worker heartbeats keyed by worker ID (compact+delete). */
    public String heartbeats() {
        return prefix + ".heartbeats";
    }

    /** Results keyed by the assignment's routing key. */
    public String results() {
        return prefix + ".results";
    }

    /** Dead letters keyed by task ID. */
    public String deadLetters() {
        return prefix + ".dlq";
    }

    /** Run-time reconfiguration commands (compacted). */
    public String control() {
        return prefix + ".control";
    }

    /** Sampled audit trail of routing decisions. */
    public String decisions() {
        return prefix + ".decisions";
    }

    /** The prefix every worker topic starts with. */
    public String workerTopicPrefix() {
        return prefix + ".worker.";
    }

    /**
     * The topic a worker consumes.
     *
     * @throws IllegalArgumentException when the worker ID is not valid (see {@link WorkerIds})
     */
    public String workerTopic(String workerId) {
        return workerTopicPrefix() + WorkerIds.requireValid(workerId);
    }
}
