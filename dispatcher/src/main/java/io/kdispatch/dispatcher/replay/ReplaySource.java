package io.kdispatch.dispatcher.replay;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerIds;
import java.util.Objects;

/**
 * Where a replay reads: the dead-letter topic ({@code DeadLetter.task}), a worker topic
 * ({@code TaskAssignment.task}) or the intake ({@code Task}).
 *
 * @param kind what the topic holds
 * @param topic its name
 * @param workerId the worker whose topic it is, for {@link Kind#WORKER}; otherwise {@code null}
 */
public record ReplaySource(Kind kind, String topic, String workerId) {
    /** What a source topic holds. */
    public enum Kind { DEAD_LETTERS, WORKER, INTAKE }

    public ReplaySource {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(topic, "topic");
    }

    /**
     * Parses {@code dlq}, {@code intake}, {@code worker:<id>} or a full topic name of this installation
     * ({@code <prefix>.dlq}, {@code <prefix>.tasks}, {@code <prefix>.worker.<id>}).
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static ReplaySource parse(String spec, Topics topics) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--from is required: dlq, intake, worker:<id> or a topic name");
        }
        if (spec.equals("dlq") || spec.equals(topics.deadLetters())) {
            return new ReplaySource(Kind.DEAD_LETTERS, topics.deadLetters(), null);
        }
        if (spec.equals("intake") || spec.equals(topics.tasks())) {
            return new ReplaySource(Kind.INTAKE, topics.tasks(), null);
        }
        String id = spec.startsWith("worker:") ? spec.substring("worker:".length())
                : spec.startsWith(topics.workerTopicPrefix()) ? spec.substring(topics.workerTopicPrefix().length())
                : null;
        if (id != null) {
            if (!WorkerIds.isValid(id)) {
                throw new IllegalArgumentException("invalid worker ID '" + id + "' in --from " + spec
                        + ": it must match [a-zA-Z0-9._-]{1,200}");
            }
            return new ReplaySource(Kind.WORKER, topics.workerTopic(id), id);
        }
        throw new IllegalArgumentException("cannot replay from '" + spec + "': use dlq, intake, worker:<id>, or one of "
                + topics.deadLetters() + ", " + topics.tasks() + ", " + topics.workerTopicPrefix() + "<id>"
                + " (check --topic-prefix)");
    }
}
