package io.kdispatch.dispatcher.simulate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.simulate.Scenario.Arrivals;
import io.kdispatch.dispatcher.simulate.Scenario.Burst;
import io.kdispatch.dispatcher.simulate.Scenario.KeySpace;
import io.kdispatch.dispatcher.simulate.Scenario.Step;
import io.kdispatch.dispatcher.simulate.Scenario.TaskType;
import io.kdispatch.dispatcher.simulate.Scenario.WorkerGroup;
import io.kdispatch.schemas.WorkerIds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a scenario from YAML or JSON ({@code .json} files are read as JSON, anything else as YAML) and
 * validates all of it, so a simulation never starts on a scenario it would misread: unknown keys, missing
 * values, values out of range and events naming no worker are refused with the path of the value, e.g.
 * {@code scenario steady.yaml: fleet[1].capacity: must be a whole number from 1 to 100000, was -3}.
 * The format is documented in {@code docs/SIMULATE.md}.
 */
public final class ScenarioParser {
    static final double MAX_RATE = 1_000_000;
    static final double MAX_MS = 30L * 24 * 3_600_000;
    private static final Set<String> TOP = Set.of("name", "description", "duration", "grace", "seed", "dispatcher",
            "network", "fleet", "tasks", "arrivals", "events");
    private static final Set<String> GROUP = Set.of("name", "count", "capacity", "queue", "labels", "weight", "speed",
            "failureRate", "serviceTime");
    private static final Set<String> TYPE = Set.of("name", "weight", "serviceTime", "failureRate", "maxAttempts",
            "priority", "requires", "prefers", "keys");
    private static final Set<String> KEYS = Set.of("count", "skew", "exponent", "share", "prefix");
    private static final Set<String> DIST = Set.of("dist", "ms", "mean", "median", "sigma", "min", "max");

    private ScenarioParser() {
    }

    /** Reads and validates the scenario in {@code file}. */
    public static Scenario read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ScenarioException("cannot read scenario " + file + ": " + e.getMessage(), e);
        }
        String fileName = file.getFileName().toString();
        try {
            return parse(text, fileName.endsWith(".json"));
        } catch (ScenarioException e) {
            throw new ScenarioException("scenario " + fileName + ": " + e.getMessage(), e);
        }
    }

    /** Parses and validates a scenario given as text. */
    public static Scenario parse(String text, boolean json) {
        Object raw;
        try {
            raw = json ? new ObjectMapper().readValue(text, Object.class)
                    : new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (JsonProcessingException e) {
            throw new ScenarioException("not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()), e);
        } catch (YAMLException e) {
            throw new ScenarioException("not valid YAML: " + e.getMessage().lines().findFirst().orElse(""), e);
        }
        return scenario(new Node("", raw));
    }

    private static Scenario scenario(Node root) {
        Map<String, Node> top = root.map(TOP);
        long duration = (long) need(top, "duration", root).millis(1, MAX_MS);
        long grace = top.containsKey("grace") ? (long) top.get("grace").millis(0, MAX_MS) : 60_000;
        long seed = top.containsKey("seed") ? top.get("seed").integer(0, Integer.MAX_VALUE) : 1;
        Map<String, String> dispatcher = top.containsKey("dispatcher") ? top.get("dispatcher").strings() : Map.of();
        long delay = 1;
        long heartbeat = 1_000;
        if (top.containsKey("network")) {
            Map<String, Node> net = top.get("network").map(Set.of("delay", "heartbeat"));
            delay = net.containsKey("delay") ? (long) net.get("delay").millis(0, 60_000) : delay;
            heartbeat = net.containsKey("heartbeat") ? (long) net.get("heartbeat").millis(10, 60_000) : heartbeat;
        }
        List<WorkerGroup> fleet = fleet(need(top, "fleet", root));
        List<TaskType> types = new ArrayList<>();
        for (Node t : list(need(top, "tasks", root))) {
            types.add(taskType(t));
        }
        unique(types.stream().map(TaskType::name).toList(), top.get("tasks"));
        if (types.stream().mapToDouble(TaskType::weight).sum() <= 0) {
            throw top.get("tasks").error("at least one task type needs a weight above 0");
        }
        Arrivals arrivals = arrivals(need(top, "arrivals", root));
        List<Scenario.Event> events = top.containsKey("events")
                ? EventParser.events(top.get("events"), fleet, duration + grace) : List.of();
        return new Scenario(top.containsKey("name") ? top.get("name").text() : "scenario",
                top.containsKey("description") ? top.get("description").text() : "", duration, grace, seed,
                dispatcher, delay, heartbeat, fleet, types, arrivals, events);
    }

    private static List<WorkerGroup> fleet(Node node) {
        List<WorkerGroup> groups = new ArrayList<>();
        for (Node g : list(node)) {
            Map<String, Node> m = g.map(GROUP);
            String name = need(m, "name", g).text();
            int count = m.containsKey("count") ? m.get("count").integer(1, 100_000) : 1;
            if (!WorkerIds.isValid(name + "-" + count)) {
                throw m.get("name").error("worker IDs " + name + "-1.." + name + "-" + count + " must match "
                        + WorkerIds.SHAPE);
            }
            Map<String, Distribution> times = new TreeMap<>();
            if (m.containsKey("serviceTime")) {
                m.get("serviceTime").map(null).forEach((type, d) -> times.put(type, distribution(d)));
            }
            groups.add(new WorkerGroup(name, count, need(m, "capacity", g).integer(1, 100_000),
                    m.containsKey("queue") ? m.get("queue").integer(0, 100_000) : 1_000,
                    m.containsKey("labels") ? m.get("labels").strings() : Map.of(),
                    m.containsKey("weight") ? m.get("weight").decimal(0.001, 1_000) : 1.0,
                    m.containsKey("speed") ? m.get("speed").decimal(0.001, 1_000) : 1.0,
                    m.containsKey("failureRate") ? m.get("failureRate").decimal(0, 1) : 0.0, times, false));
        }
        unique(groups.stream().map(WorkerGroup::name).toList(), node);
        if (groups.isEmpty()) {
            throw node.error("needs at least one worker group");
        }
        return groups;
    }

    private static TaskType taskType(Node t) {
        Map<String, Node> m = t.map(TYPE);
        KeySpace keys = null;
        if (m.containsKey("keys")) {
            Node k = m.get("keys");
            Map<String, Node> km = k.map(KEYS);
            String skew = km.containsKey("skew") ? km.get("skew").text() : "uniform";
            if (!skew.equals("uniform") && !skew.equals("zipf")) {
                throw km.get("skew").error("must be uniform or zipf, was '" + skew + "'");
            }
            double exponent = skew.equals("zipf") ? (km.containsKey("exponent") ? km.get("exponent").decimal(0.01, 10)
                    : 1.0) : 0.0;
            keys = new KeySpace(km.containsKey("prefix") ? km.get("prefix").text() : "key-",
                    need(km, "count", k).integer(1, 10_000_000), exponent,
                    km.containsKey("share") ? km.get("share").decimal(0, 1) : 1.0);
        }
        return new TaskType(need(m, "name", t).text(), m.containsKey("weight") ? m.get("weight").decimal(0, 1e9) : 1.0,
                distribution(need(m, "serviceTime", t)),
                m.containsKey("failureRate") ? m.get("failureRate").decimal(0, 1) : 0.0,
                m.containsKey("maxAttempts") ? m.get("maxAttempts").integer(1, 1_000) : 3,
                m.containsKey("priority") ? m.get("priority").integer(-1_000_000, 1_000_000) : 0,
                m.containsKey("requires") ? m.get("requires").strings() : Map.of(),
                m.containsKey("prefers") ? m.get("prefers").strings() : Map.of(), keys);
    }

    /** {@code 50ms} (fixed), or a map: {@code {dist: exponential, mean: 50ms}}, lognormal, uniform, fixed. */
    static Distribution distribution(Node node) {
        if (!node.isMap()) {
            return new Distribution.Fixed(node.millis(0, MAX_MS));
        }
        Map<String, Node> m = node.map(DIST);
        String dist = need(m, "dist", node).text();
        return switch (dist) {
            case "fixed" -> new Distribution.Fixed(need(m, "ms", node).millis(0, MAX_MS));
            case "exponential" -> new Distribution.Exponential(need(m, "mean", node).millis(0.001, MAX_MS));
            case "lognormal" -> new Distribution.LogNormal(need(m, "median", node).millis(0.001, MAX_MS),
                    m.containsKey("sigma") ? m.get("sigma").decimal(0, 5) : 0.5);
            case "uniform" -> {
                double min = need(m, "min", node).millis(0, MAX_MS);
                double max = need(m, "max", node).millis(min, MAX_MS);
                yield new Distribution.Uniform(min, max);
            }
            default -> throw m.get("dist").error("must be fixed, exponential, lognormal or uniform, was '" + dist + "'");
        };
    }

    private static Arrivals arrivals(Node node) {
        Map<String, Node> m = node.map(Set.of("rate", "bursts"));
        Node rate = need(m, "rate", node);
        List<Step> steps = new ArrayList<>();
        if (rate.isList()) {
            long last = -1;
            for (Node s : rate.list()) {
                Map<String, Node> sm = s.map(Set.of("at", "rate"));
                long at = (long) (sm.containsKey("at") ? sm.get("at").millis(0, MAX_MS) : 0);
                if (at <= last) {
                    throw s.error("steps must be in time order");
                }
                last = at;
                steps.add(new Step(at, need(sm, "rate", s).perSecond(MAX_RATE)));
            }
            if (steps.isEmpty() || steps.get(0).atMs() != 0) {
                throw rate.error("the first step must be at 0s");
            }
        } else {
            steps.add(new Step(0, rate.perSecond(MAX_RATE)));
        }
        List<Burst> bursts = new ArrayList<>();
        if (m.containsKey("bursts")) {
            for (Node b : m.get("bursts").list()) {
                Map<String, Node> bm = b.map(Set.of("at", "duration", "rate"));
                bursts.add(new Burst((long) need(bm, "at", b).millis(0, MAX_MS),
                        (long) need(bm, "duration", b).millis(1, MAX_MS), need(bm, "rate", b).perSecond(MAX_RATE)));
            }
        }
        return new Arrivals(steps, bursts);
    }

    static Node need(Map<String, Node> map, String key, Node parent) {
        Node n = map.get(key);
        if (n == null) {
            throw parent.error("'" + key + "' is required");
        }
        return n;
    }

    private static List<Node> list(Node node) {
        List<Node> items = node.list();
        if (items.isEmpty()) {
            throw node.error("must not be empty");
        }
        return items;
    }

    private static void unique(List<String> names, Node where) {
        Set<String> seen = new HashSet<>();
        for (String n : names) {
            if (!seen.add(n)) {
                throw where.error("name '" + n + "' is used twice");
            }
        }
    }
}
