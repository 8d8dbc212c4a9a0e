package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.DeadLetterReason;
import io.kdispatch.schemas.RoutingKeys;
import io.kdispatch.schemas.Task;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first step for every intake task: a task that breaks a rule (see {@link TaskValidator}) is
 * dead-lettered here, before it costs a trip through the repartition topic; a valid one is re-keyed by
 * its routing key (see {@link RoutingKeys}) for the repartition.
 */
final class IntakeProcessor implements Processor<String, Task, String, IntakeProcessor.Outcome> {
    private static final Logger log = LoggerFactory.getLogger(IntakeProcessor.class);

    /** A valid task or the dead letter of an invalid one. */
    sealed interface Outcome {
    }

    record Valid(Task task) implements Outcome {
    }

    record Invalid(DeadLetter deadLetter) implements Outcome {
    }

    private ProcessorContext<String, Outcome> context;

    @Override
    public void init(ProcessorContext<String, Outcome> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, Task> record) {
        Task task = record.value();
        if (task == null) {
            log.warn("Ignored a record with no value on the intake (key '{}'): a tombstone means nothing there",
                    record.key());
            return;
        }
        String problem = TaskValidator.problem(record.key(), task);
        if (problem == null) {
            context.forward(record.withKey(RoutingKeys.of(record.key(), task)).withValue(new Valid(task)));
            return;
        }
        long now = context.currentSystemTimeMs();
        log.info("Dead-lettering task {}: {} ({})", task.getId(), DeadLetterReason.INVALID_TASK, problem);
        String key = task.getId() == null || task.getId().isBlank() ? record.key() : task.getId();
        context.forward(record.withKey(key).withValue(new Invalid(
                DeadLetters.forTask(task, DeadLetterReason.INVALID_TASK, problem, List.of(), now))));
    }
}
