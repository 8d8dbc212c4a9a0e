package io.kdispatch.sdk.testing;

import io.kdispatch.schemas.ResultStatus;
import io.kdispatch.sdk.ExecutionEvent;
import io.kdispatch.sdk.WorkerListener;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A {@link WorkerListener} that records every {@link ExecutionEvent}, for tests. Share one log
 * between several workers (and restarts) to see where each task ran and how often.
 *
 * <p>Thread-safe; queries return snapshots in the order events were recorded.
 *
 * <pre>{@code
 * ExecutionLog log = new ExecutionLog();
 * Worker worker = Worker.builder()...listener(log).build();
 * await().until(() -> log.count() == 10);
 * assertEquals(1, log.executionsOf("task-7"));
 * }</pre>
 */
public final class ExecutionLog implements WorkerListener {
    private final List<ExecutionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onExecuted(ExecutionEvent event) {
        events.add(event);
    }

    /** Every event so far. */
    public List<ExecutionEvent> events() {
        return List.copyOf(events);
    }

    /** Number of events so far. */
    public int count() {
        return events.size();
    }

    /** Number of events with the given status. */
    public int count(ResultStatus status) {
        return select(e -> e.status() == status).size();
    }

    /** The events of one task (one per attempt or re-execution). */
    public List<ExecutionEvent> byTask(String taskId) {
        return select(e -> e.taskId().equals(taskId));
    }

    /** The events of one worker. */
    public List<ExecutionEvent> byWorker(String workerId) {
        return select(e -> e.workerId().equals(workerId));
    }

    /** How many times a task was executed (events of any status). */
    public int executionsOf(String taskId) {
        return byTask(taskId).size();
    }

    /** Events per task ID, in first-seen order. */
    public Map<String, List<ExecutionEvent>> groupedByTask() {
        Map<String, List<ExecutionEvent>> result = new LinkedHashMap<>();
        for (ExecutionEvent e : events) {
            result.computeIfAbsent(e.taskId(), k -> new ArrayList<>()).add(e);
        }
        return result;
    }

    /** Events matching a condition. */
    public List<ExecutionEvent> select(Predicate<ExecutionEvent> condition) {
        return events.stream().filter(condition).toList();
    }

    /** Forgets every event. */
    public void clear() {
        events.clear();
    }

    @Override
    public String toString() {
        return "ExecutionLog" + events;
    }
}
