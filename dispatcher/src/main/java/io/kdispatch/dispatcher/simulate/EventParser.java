package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.simulate.Scenario.Event;
import io.kdispatch.dispatcher.simulate.Scenario.Selector;
import io.kdispatch.dispatcher.simulate.Scenario.WorkerGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads the {@code events} of a scenario: each is {@code at} plus one action ({@code kill}, {@code restart},
 * {@code join}, {@code drain}, {@code cordon}, {@code activate}, {@code set} or {@code degrade}). Selectors must match a
 * worker of the fleet and control settings must be ones the control topic accepts ({@link ControlKeys}).
 */
final class EventParser {
    private static final Set<String> ACTIONS = Set.of("kill", "restart", "join", "drain", "cordon", "activate",
            "set", "degrade");
    private static final Set<String> KEYS;

    static {
        List<String> keys = new ArrayList<>(ACTIONS);
        keys.add("at");
        KEYS = Set.copyOf(keys);
    }

    private EventParser() {
    }

    static List<Event> events(Node node, List<WorkerGroup> fleet, long endMs) {
        List<Event> events = new ArrayList<>();
        for (Node e : node.list()) {
            Map<String, Node> m = e.map(KEYS);
            long at = (long) ScenarioParser.need(m, "at", e).millis(0, endMs);
            List<String> actions = m.keySet().stream().filter(ACTIONS::contains).toList();
            if (actions.size() != 1) {
                throw e.error("needs exactly one action of " + String.join(", ", ACTIONS.stream().sorted().toList())
                        + ", had " + (actions.isEmpty() ? "none" : String.join(", ", actions)));
            }
            String action = actions.get(0);
            Node value = m.get(action);
            events.add(switch (action) {
                case "kill" -> new Scenario.Kill(at, selector(value, fleet));
                case "restart" -> new Scenario.Restart(at, selector(value, fleet));
                case "join" -> new Scenario.Join(at, selector(value, fleet));
                case "drain" -> new Scenario.WorkerState(at, selector(value, fleet), "draining");
                case "cordon" -> new Scenario.WorkerState(at, selector(value, fleet), "cordoned");
                case "activate" -> new Scenario.WorkerState(at, selector(value, fleet), "active");
                case "set" -> new Scenario.Control(at, settings(value));
                default -> degrade(at, value, fleet);
            });
        }
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::atMs)); // stable: same-time events keep file order
        return sorted;
    }

    private static Event degrade(long at, Node value, List<WorkerGroup> fleet) {
        Map<String, Node> m = value.map(Set.of("workers", "failureRate", "speed"));
        if (!m.containsKey("failureRate") && !m.containsKey("speed")) {
            throw value.error("needs failureRate or speed");
        }
        return new Scenario.Degrade(at, selector(ScenarioParser.need(m, "workers", value), fleet),
                m.containsKey("failureRate") ? m.get("failureRate").decimal(0, 1) : null,
                m.containsKey("speed") ? m.get("speed").decimal(0.001, 1_000) : null);
    }

    /** Control settings, validated as the control topic would; a null value resets the setting. */
    private static Map<String, String> settings(Node value) {
        if (!value.isMap()) {
            throw value.error("must map control keys to values, e.g. {routing.strategy: least-loaded}");
        }
        Map<String, String> out = new TreeMap<>();
        value.map(null).forEach((key, v) -> {
            String text = v.isNull() ? null : v.text();
            try {
                out.put(key, ControlKeys.normalize(key, text));
            } catch (IllegalArgumentException e) {
                throw v.error(e.getMessage());
            }
        });
        return Collections.unmodifiableMap(out);
    }

    /** A worker ID, a comma-separated list or a YAML list of IDs, or a map of labels. */
    static Selector selector(Node value, List<WorkerGroup> fleet) {
        Selector selector;
        if (value.isMap()) {
            selector = new Selector(List.of(), value.strings());
        } else if (value.isList()) {
            selector = new Selector(value.list().stream().map(Node::text).toList(), Map.of());
        } else {
            selector = new Selector(Arrays.stream(value.text().split(",")).map(String::trim).toList(), Map.of());
        }
        List<String> known = new ArrayList<>();
        boolean any = false;
        for (WorkerGroup g : fleet) {
            for (int i = 1; i <= g.count(); i++) {
                known.add(g.workerId(i));
                any |= selector.matches(g.workerId(i), g.labels());
            }
        }
        for (String id : selector.ids()) {
            if (!known.contains(id)) {
                throw value.error("no worker '" + id + "' in the fleet (workers are named <group>-1..<group>-<count>)");
            }
        }
        if (!any) {
            throw value.error("matches no worker of the fleet");
        }
        return selector;
    }
}
