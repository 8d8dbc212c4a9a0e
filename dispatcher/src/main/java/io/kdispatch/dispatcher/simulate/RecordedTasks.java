package io.kdispatch.dispatcher.simulate;

import io.kdispatch.schemas.LabelOperator;
import io.kdispatch.schemas.LabelRequirement;
import io.kdispatch.schemas.Task;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;

/** The task a recorded {@link Scenario.TaskSpec} stands for, as the intake would hand it to the router. */
final class RecordedTasks {
    private static final ByteBuffer NO_PAYLOAD = ByteBuffer.allocate(0);

    private RecordedTasks() {
    }

    /** The task {@code spec} of type {@code type}, submitted at {@code nowMs}, with its deadline moved along. */
    static Task task(Scenario.TaskSpec spec, String type, long nowMs) {
        List<LabelRequirement> requirements = new ArrayList<>();
        for (Scenario.Requirement r : spec.requirements()) {
            requirements.add(new LabelRequirement(r.key(), LabelOperator.valueOf(r.operator()),
                    new ArrayList<>(r.values())));
        }
        Instant deadline = spec.deadlineInMs() == null ? null : Instant.ofEpochMilli(nowMs + spec.deadlineInMs());
        return new Task(spec.id(), type, NO_PAYLOAD, spec.priority(), new HashMap<>(spec.requires()), requirements,
                new HashMap<>(spec.prefers()), spec.key(), spec.group(), spec.maxAttempts(), deadline,
                Instant.ofEpochMilli(nowMs), new HashMap<>());
    }
}
