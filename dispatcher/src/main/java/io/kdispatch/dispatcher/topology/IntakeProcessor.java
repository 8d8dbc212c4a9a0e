package io.kdispatch.dispatcher.topology;

import io.kdispatch.dispatcher.metrics.DispatchMetrics;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step for every intake task: a task that breaks a rule (see {@link TaskValidator}) is
 * dead-lettered here; a valid one is re-keyed by its routing key (see {@link RoutingKeys}) and marked
 * {@link Valid#local() local} when it already sits on the intake partition of that key (as
 * {@code SubmitClient} places it), which lets it skip the repartition topic: the stream task that
 * reads intake partition p is the one that owns routing partition p.
 */
final class IntakeProcessor implements Processor<String, Task, String, IntakeProcessor.Outcome> {
    private static final Logger log = LoggerFactory.getLogger(IntakeProcessor.class);

    /** A valid task or the dead letter of an invalid one. */
    sealed interface Outcome {
    }

    /** A valid task; {@code local} when it is already on its routing partition. */
    record Valid(Task task, boolean local) implements Outcome {
    }

    record Invalid(DeadLetter deadLetter) implements Outcome {
    }

    private final int routingPartitions;
    private final DispatchMetrics metrics;
    private ProcessorContext<String, Outcome> context;

    /** @param routingPartitions partitions of the routing repartition topic (and of the results topic) */
    IntakeProcessor(int routingPartitions, DispatchMetrics metrics) {
        this.routingPartitions = routingPartitions;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Task> record) {
        Task task = record.value();
        if (task == null) {
            deadLetterTombstone(record);
            return;
        }
        String problem = TaskValidator.problem(record.key(), task);
        if (problem == null) {
            String routingKey = RoutingKeys.of(record.key(), task);
            int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
            boolean local = partition == RoutingKeys.partitionOf(routingKey, routingPartitions);
            context.forward(record.withKey(routingKey).withValue(new Valid(task, local)));
            return;
        }
        long now = context.currentSystemTimeMs();
        log.info("Dead-lettering task {}: {} ({})", Abbreviated.of(task.getId()), DeadLetterReason.INVALID_TASK,
                problem);
        DeadLetter letter = DeadLetters.forTask(task, DeadLetterReason.INVALID_TASK, problem, List.of(), now);
        DeadLetter.Builder located = DeadLetter.newBuilder(letter);
        context.recordMetadata().ifPresent(m -> located.setSourceTopic(m.topic()).setSourcePartition(m.partition())
                .setSourceOffset(m.offset()));
        String key = letter.getTaskId() == null || letter.getTaskId().isBlank()
                ? DeadLetters.boundedId(record.key()) : letter.getTaskId();
        context.forward(record.withKey(key).withValue(new Invalid(located.build())));
        metrics.deadLettered(DeadLetterReason.INVALID_TASK.name());
    }

    /** A record without a value carries no task: dead-lettered as malformed, so that its producer hears of it. */
    private void deadLetterTombstone(Record<String, Task> record) {
        String key = DeadLetters.boundedId(record.key());
        String detail = "a record with no value (a tombstone) on the intake carries no task";
        log.warn("Dead-lettering record with key {}: {} ({})", Abbreviated.of(record.key()),
                DeadLetterReason.MALFORMED, detail);
        String topic = context.recordMetadata().map(m -> m.topic()).orElse(null);
        int partition = context.recordMetadata().map(m -> m.partition()).orElse(-1);
        long offset = context.recordMetadata().map(m -> m.offset()).orElse(-1L);
        context.forward(record.withKey(key).withValue(new Invalid(DeadLetters.forRawRecord(key,
                DeadLetterReason.MALFORMED, detail, key == null ? null : key.getBytes(StandardCharsets.UTF_8), null,
                topic, partition, offset, context.currentSystemTimeMs()))));
        metrics.deadLettered(DeadLetterReason.MALFORMED.name());
    }
}
