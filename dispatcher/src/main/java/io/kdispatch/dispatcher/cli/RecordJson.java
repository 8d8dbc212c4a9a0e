package io.kdispatch.dispatcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.schemas.AttemptRecord;
import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.WorkerHeartbeat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the product's records as one-line JSON for {@code tail} and for scripts. */
final class RecordJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RecordJson() {
    }

    static String of(Object record) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (record instanceof TaskResult r) {
            m.put("taskId", r.getTaskId());
            m.put("workerId", r.getWorkerId());
            m.put("attempt", r.getAttempt());
            m.put("status", r.getStatus().name());
            m.put("error", r.getError());
            m.put("durationMs", r.getDurationMs());
        } else if (record instanceof DeadLetter d) {
            m.put("taskId", d.getTaskId());
            m.put("reason", d.getReason().name());
            m.put("detail", d.getDetail());
            m.put("attempts", attempts(d.getAttempts()));
            m.put("sourceTopic", d.getSourceTopic());
            m.put("deadLetteredAt", d.getDeadLetteredAt().toString());
        } else if (record instanceof WorkerHeartbeat h) {
            m.put("workerId", h.getWorkerId());
            m.put("status", h.getStatus().name());
            m.put("incarnation", h.getIncarnation());
            m.put("labels", h.getLabels());
            m.put("capacity", h.getCapacity());
            m.put("inFlight", h.getInFlight());
            m.put("queued", h.getQueued());
            m.put("sentAt", h.getSentAt().toString());
        } else if (record instanceof TaskAssignment a) {
            m.put("taskId", a.getTask().getId());
            m.put("type", a.getTask().getType());
            m.put("workerId", a.getWorkerId());
            m.put("attempt", a.getAttempt());
            m.put("strategy", a.getStrategy());
            m.put("routingKey", a.getRoutingKey());
        } else {
            throw new IllegalArgumentException("no JSON form for " + record.getClass().getName());
        }
        return write(m);
    }

    static String write(Map<String, ?> m) {
        try {
            return MAPPER.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private static List<Map<String, Object>> attempts(List<AttemptRecord> attempts) {
        return attempts.stream().map(a -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("attempt", a.getAttempt());
            m.put("workerId", a.getWorkerId());
            m.put("outcome", a.getOutcome());
            m.put("error", a.getError());
            return m;
        }).toList();
    }
}
