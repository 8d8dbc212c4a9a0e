package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.simulate.Scenario.TaskType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A recorded {@link Trace} as a scenario to replay through the dispatcher's processors: the recorded tasks
 * at their times with their IDs, keys and labels; the fleet from the heartbeats ({@link TraceFleet}); service
 * times drawn from the durations the results report; the control settings as they were set. Time zero is
 * the start of the trace's range.
 *
 * <p>What a trace cannot tell is left out and said in the description: the dispatcher's start-up settings
 * (only the routing partitions, read from the results topic, and the control topic's settings are known).
 */
public final class TraceScenario {
    /** How long the replay goes on after the range for tasks still in flight. */
    static final long GRACE_MS = 60_000;

    private TraceScenario() {
    }

    /** The scenario that replays {@code trace}; {@code name} names it in reports. */
    public static Scenario of(Trace trace, String name) {
        List<String> typeNames = new ArrayList<>();
        Map<String, String> typeOfTask = new HashMap<>();
        List<Scenario.Recorded> arrivals = arrivals(trace, typeNames, typeOfTask);
        if (arrivals.isEmpty()) {
            throw new ScenarioException("no task arrived on the intake between " + Instant.ofEpochMilli(trace.fromMs())
                    + " and " + Instant.ofEpochMilli(trace.toMs()) + ": nothing to replay");
        }
        TraceFleet fleet = new TraceFleet(trace, typeOfTask);
        if (fleet.groups().isEmpty()) {
            throw new ScenarioException("no worker heartbeat between " + Instant.ofEpochMilli(trace.fromMs())
                    + " and " + Instant.ofEpochMilli(trace.toMs()) + ": the fleet is unknown");
        }
        List<TaskType> types = new ArrayList<>();
        for (String t : typeNames) {
            types.add(new TaskType(t, 1.0, fleet.serviceTime(t), 0.0, 3, 0, Map.of(), Map.of(), null));
        }
        List<Scenario.Event> events = new ArrayList<>(controls(trace));
        events.addAll(fleet.events());
        events.sort(Comparator.comparingLong(Scenario.Event::atMs)); // stable
        Map<String, String> settings = new TreeMap<>();
        if (trace.partitions() > 0) {
            settings.put("topic.partitions", Integer.toString(trace.partitions()));
        }
        long duration = Math.max(1, trace.toMs() - trace.fromMs());
        return new Scenario(name, description(trace, arrivals.size(), fleet.groups().size()), duration, GRACE_MS, 1,
                settings, 1, fleet.heartbeatMs(), fleet.groups(), types,
                new Scenario.Arrivals(List.of(new Scenario.Step(0, 0)), List.of(), arrivals), events);
    }

    private static List<Scenario.Recorded> arrivals(Trace trace, List<String> typeNames,
                                                    Map<String, String> typeOfTask) {
        List<Scenario.Recorded> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Map<String, Integer> typeIndex = new LinkedHashMap<>();
        for (Trace.Submitted s : trace.tasks()) {
            if (!seen.add(s.task().id())) {
                continue; // a resubmission of a task ID: the dispatcher keeps the first while it lives
            }
            Integer type = typeIndex.computeIfAbsent(s.type(), t -> {
                typeNames.add(t);
                return typeNames.size() - 1;
            });
            typeOfTask.put(s.task().id(), s.type());
            out.add(new Scenario.Recorded(Math.max(0, s.atMs() - trace.fromMs()), type, s.task()));
        }
        return out;
    }

    /** Settings in force at the start (the last value of each key before it), then each change at its time. */
    private static List<Scenario.Event> controls(Trace trace) {
        Map<String, String> atStart = new TreeMap<>();
        List<Scenario.Event> out = new ArrayList<>();
        for (Trace.Control c : trace.controls()) {
            String value;
            try {
                value = ControlKeys.normalize(c.key(), c.value());
            } catch (IllegalArgumentException e) {
                continue; // the dispatcher refused it too, and kept the previous value
            }
            if (c.atMs() <= trace.fromMs()) {
                atStart.put(c.key(), value);
            } else {
                Map<String, String> change = new HashMap<>();
                change.put(c.key(), value);
                out.add(new Scenario.Control(c.atMs() - trace.fromMs(), change));
            }
        }
        atStart.values().removeIf(v -> v == null);
        if (!atStart.isEmpty()) {
            out.add(0, new Scenario.Control(0, atStart));
        }
        return out;
    }

    private static String description(Trace trace, int tasks, int workers) {
        return "Recorded" + (trace.source().isEmpty() ? "" : " from " + trace.source()) + ", "
                + Instant.ofEpochMilli(trace.fromMs()) + " to " + Instant.ofEpochMilli(trace.toMs()) + ": " + tasks
                + " tasks, " + workers + " workers, " + trace.results().size() + " results, "
                + trace.decisions().size() + " decisions. Start-up settings other than the "
                + (trace.partitions() > 0 ? trace.partitions() + " routing partitions" : "routing partitions")
                + " and the control topic's are the defaults unless --compare sets them.";
    }
}
