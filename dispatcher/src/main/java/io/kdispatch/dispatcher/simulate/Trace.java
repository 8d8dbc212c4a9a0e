package io.kdispatch.dispatcher.simulate;

import java.util.List;
import java.util.Map;

/**
 * A time range of a dispatcher's topics, as {@code simulate record} read it: the tasks that arrived on the
 * intake, the workers' heartbeats, their results, the routing decisions and the control settings. Times are
 * the records' timestamps in epoch milliseconds; every list is in time order. Written and read as JSON lines
 * by {@link TraceFile}; turned into a scenario to replay by {@link TraceScenario}. Immutable.
 *
 * @param source where it was read (bootstrap servers and topic prefix), shown in reports
 * @param fromMs start of the range (inclusive)
 * @param toMs end of the range (inclusive)
 * @param partitions partitions of the results topic: the dispatcher's routing partitions, 0 if unknown
 * @param tasks intake records in the range
 * @param heartbeats heartbeats in the range
 * @param results results in the range
 * @param decisions routing decisions in the range (empty when the dispatcher records none)
 * @param controls control settings up to the end of the range; those before its start are in force at the start
 */
public record Trace(String source, long fromMs, long toMs, int partitions, List<Submitted> tasks,
                    List<Heartbeat> heartbeats, List<Result> results, List<Decision> decisions,
                    List<Control> controls) {
    /** Version of the file format, the first line's {@code trace} field. */
    public static final int FORMAT = 1;

    public Trace {
        tasks = List.copyOf(tasks);
        heartbeats = List.copyOf(heartbeats);
        results = List.copyOf(results);
        decisions = List.copyOf(decisions);
        controls = List.copyOf(controls);
        if (toMs < fromMs) {
            throw new IllegalArgumentException("a trace ends (" + toMs + ") before it starts (" + fromMs + ")");
        }
    }

    /** One task as submitted: its type and its routing hints. */
    public record Submitted(long atMs, String type, Scenario.TaskSpec task) {
    }

    /** One heartbeat: what a worker said about itself. */
    public record Heartbeat(long atMs, String worker, long incarnation, String status, int capacity,
                            Map<String, String> labels, double weight, int maxQueued, int intervalMs, int inFlight,
                            int queued) {
        public Heartbeat {
            labels = Map.copyOf(labels);
        }
    }

    /**
     * One result: which attempt of which task ran where, how it ended, when it started (worker clock) and how
     * long the handler took.
     */
    public record Result(long atMs, String task, String worker, long incarnation, int attempt, String status,
                         long startedAtMs, long durationMs) {
    }

    /** One routing decision: ASSIGNED to a worker by a rule, or PARKED for a reason. */
    public record Decision(long atMs, String task, int attempt, String outcome, String worker, String rule,
                           String reason) {
    }

    /** One control setting: {@code key} set to {@code value} (null: reset) at {@code atMs}. */
    public record Control(long atMs, String key, String value) {
    }
}
