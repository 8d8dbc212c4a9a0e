package io.kdispatch.dispatcher.topology;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import java.util.Objects;

/** What reaches the dispatch processor, merged from the routing repartition and the results topic. */
sealed interface DispatchInput {
    /** A valid task from the intake, re-keyed by its routing key. */
    record Submitted(Task task) implements DispatchInput {
        public Submitted {
            Objects.requireNonNull(task, "task");
        }
    }

    /** A worker's result or lease extension. */
    record Reported(TaskResult result) implements DispatchInput {
        public Reported {
            Objects.requireNonNull(result, "result");
        }
    }
}
