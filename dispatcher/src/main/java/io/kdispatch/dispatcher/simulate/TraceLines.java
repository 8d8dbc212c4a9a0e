package io.kdispatch.dispatcher.simulate;

import io.kdispatch.schemas.WorkerIds;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lines of a trace file, each kind to and from its JSON object, and the {@link Trace} they make when
 * read in order. Every value is validated where it is read, with its path (see {@link Node}). Not thread-safe.
 */
final class TraceLines {
    private static final long MAX_MS = 4_102_444_800_000L; // 2100-01-01
    private static final Set<String> HEAD = Set.of("trace", "source", "from", "to", "partitions");
    private static final Set<String> KINDS = Set.of("at", "control", "heartbeat", "task", "decision", "result");
    private static final Set<String> TASK = Set.of("id", "type", "priority", "requires", "requirements", "prefers",
            "key", "group", "maxAttempts", "deadlineInMs");
    private static final Set<String> HEARTBEAT = Set.of("worker", "incarnation", "status", "capacity", "labels",
            "weight", "maxQueued", "intervalMs", "inFlight", "queued");
    private static final Set<String> RESULT = Set.of("task", "worker", "incarnation", "attempt", "status",
            "startedAt", "durationMs");
    private static final Set<String> DECISION = Set.of("task", "attempt", "outcome", "worker", "rule", "reason");

    private Map<String, Node> head;
    private final List<Trace.Submitted> tasks = new ArrayList<>();
    private final List<Trace.Heartbeat> heartbeats = new ArrayList<>();
    private final List<Trace.Result> results = new ArrayList<>();
    private final List<Trace.Decision> decisions = new ArrayList<>();
    private final List<Trace.Control> controls = new ArrayList<>();

    /** Reads line {@code n}, parsed from JSON. */
    void add(int n, Object raw) {
        try {
            Node line = new Node("", raw);
            if (head == null) {
                head = line.map(HEAD);
                long format = ScenarioParser.need(head, "trace", line).whole(1, 1_000);
                if (format != Trace.FORMAT) {
                    throw head.get("trace").error("format " + format + " is not one this version reads ("
                            + Trace.FORMAT + ")");
                }
                return;
            }
            Map<String, Node> m = line.map(KINDS);
            long at = ScenarioParser.need(m, "at", line).whole(0, MAX_MS);
            if (m.size() != 2) {
                throw line.error("needs 'at' and one of control, heartbeat, task, decision, result");
            }
            String kind = m.keySet().stream().filter(k -> !k.equals("at")).findFirst().orElseThrow();
            read(kind, at, m.get(kind));
        } catch (ScenarioException e) {
            throw new ScenarioException("line " + n + ": " + e.getMessage(), e);
        }
    }

    private void read(String kind, long at, Node body) {
        switch (kind) {
            case "control" -> {
                Map<String, Node> m = body.map(Set.of("key", "value"));
                Node value = m.get("value");
                controls.add(new Trace.Control(at, ScenarioParser.need(m, "key", body).text(),
                        value == null || value.isNull() ? null : value.text()));
            }
            case "heartbeat" -> heartbeats.add(heartbeat(at, body));
            case "task" -> tasks.add(task(at, body));
            case "decision" -> decisions.add(decision(at, body));
            default -> results.add(result(at, body));
        }
    }

    /** The trace the lines make. */
    Trace trace() {
        if (head == null) {
            throw new ScenarioException("is empty: the first line names the format, e.g. {\"trace\":1,...}");
        }
        Node root = new Node("line 1", null);
        long from = instant(ScenarioParser.need(head, "from", root));
        long to = instant(ScenarioParser.need(head, "to", root));
        if (to < from) {
            throw head.get("to").error("is before 'from'");
        }
        return new Trace(head.containsKey("source") ? head.get("source").text() : "", from, to,
                head.containsKey("partitions") ? head.get("partitions").integer(0, 100_000) : 0, tasks, heartbeats,
                results, decisions, controls);
    }

    private static Trace.Heartbeat heartbeat(long at, Node body) {
        Map<String, Node> m = body.map(HEARTBEAT);
        return new Trace.Heartbeat(at, workerId(ScenarioParser.need(m, "worker", body)),
                ScenarioParser.need(m, "incarnation", body).whole(0, Long.MAX_VALUE),
                m.containsKey("status") ? m.get("status").text() : "READY",
                ScenarioParser.need(m, "capacity", body).integer(1, 100_000),
                m.containsKey("labels") ? m.get("labels").strings() : Map.of(),
                m.containsKey("weight") ? m.get("weight").decimal(0, 1_000_000) : 1.0,
                m.containsKey("maxQueued") ? m.get("maxQueued").integer(-1, 10_000_000) : -1,
                m.containsKey("intervalMs") ? m.get("intervalMs").integer(1, 3_600_000) : 1_000,
                m.containsKey("inFlight") ? m.get("inFlight").integer(0, 10_000_000) : 0,
                m.containsKey("queued") ? m.get("queued").integer(0, 10_000_000) : 0);
    }

    private static Trace.Submitted task(long at, Node body) {
        Map<String, Node> m = body.map(TASK);
        List<Scenario.Requirement> requirements = new ArrayList<>();
        if (m.containsKey("requirements")) {
            for (Node r : m.get("requirements").list()) {
                Map<String, Node> rm = r.map(Set.of("key", "operator", "values"));
                String op = ScenarioParser.need(rm, "operator", r).text();
                if (!Set.of("IN", "NOT_IN", "EXISTS", "DOES_NOT_EXIST").contains(op)) {
                    throw rm.get("operator").error("must be IN, NOT_IN, EXISTS or DOES_NOT_EXIST, was '" + op + "'");
                }
                requirements.add(new Scenario.Requirement(ScenarioParser.need(rm, "key", r).text(), op,
                        rm.containsKey("values") ? rm.get("values").list().stream().map(Node::text).toList()
                                : List.of()));
            }
        }
        Scenario.TaskSpec spec = new Scenario.TaskSpec(ScenarioParser.need(m, "id", body).text(),
                m.containsKey("priority") ? m.get("priority").integer(Integer.MIN_VALUE, Integer.MAX_VALUE) : 0,
                m.containsKey("requires") ? m.get("requires").strings() : Map.of(), requirements,
                m.containsKey("prefers") ? m.get("prefers").strings() : Map.of(), optional(m, "key"),
                optional(m, "group"), m.containsKey("maxAttempts") ? m.get("maxAttempts").integer(1, 1_000) : 3,
                m.containsKey("deadlineInMs") && !m.get("deadlineInMs").isNull()
                        ? m.get("deadlineInMs").whole(-MAX_MS, MAX_MS) : null);
        return new Trace.Submitted(at, ScenarioParser.need(m, "type", body).text(), spec);
    }

    private static Trace.Result result(long at, Node body) {
        Map<String, Node> m = body.map(RESULT);
        return new Trace.Result(at, ScenarioParser.need(m, "task", body).text(),
                workerId(ScenarioParser.need(m, "worker", body)),
                m.containsKey("incarnation") ? m.get("incarnation").whole(0, Long.MAX_VALUE) : 0,
                ScenarioParser.need(m, "attempt", body).integer(0, 1_000_000),
                ScenarioParser.need(m, "status", body).text(),
                ScenarioParser.need(m, "startedAt", body).whole(0, MAX_MS),
                ScenarioParser.need(m, "durationMs", body).whole(0, MAX_MS));
    }

    private static Trace.Decision decision(long at, Node body) {
        Map<String, Node> m = body.map(DECISION);
        return new Trace.Decision(at, ScenarioParser.need(m, "task", body).text(),
                ScenarioParser.need(m, "attempt", body).integer(0, 1_000_000),
                ScenarioParser.need(m, "outcome", body).text(), optional(m, "worker"), optional(m, "rule"),
                optional(m, "reason"));
    }

    static Map<String, Object> control(Trace.Control c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("key", c.key());
        m.put("value", c.value());
        return m;
    }

    static Map<String, Object> heartbeat(Trace.Heartbeat h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("worker", h.worker());
        m.put("incarnation", h.incarnation());
        m.put("status", h.status());
        m.put("capacity", h.capacity());
        m.put("labels", new java.util.TreeMap<>(h.labels()));
        m.put("weight", h.weight());
        m.put("maxQueued", h.maxQueued());
        m.put("intervalMs", h.intervalMs());
        m.put("inFlight", h.inFlight());
        m.put("queued", h.queued());
        return m;
    }

    static Map<String, Object> task(Trace.Submitted s) {
        Scenario.TaskSpec t = s.task();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("type", s.type());
        m.put("priority", t.priority());
        m.put("requires", new java.util.TreeMap<>(t.requires()));
        List<Object> requirements = new ArrayList<>();
        for (Scenario.Requirement r : t.requirements()) {
            Map<String, Object> rm = new LinkedHashMap<>();
            rm.put("key", r.key());
            rm.put("operator", r.operator());
            rm.put("values", r.values());
            requirements.add(rm);
        }
        m.put("requirements", requirements);
        m.put("prefers", new java.util.TreeMap<>(t.prefers()));
        m.put("key", t.key());
        m.put("group", t.group());
        m.put("maxAttempts", t.maxAttempts());
        m.put("deadlineInMs", t.deadlineInMs());
        return m;
    }

    static Map<String, Object> result(Trace.Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", r.task());
        m.put("worker", r.worker());
        m.put("incarnation", r.incarnation());
        m.put("attempt", r.attempt());
        m.put("status", r.status());
        m.put("startedAt", r.startedAtMs());
        m.put("durationMs", r.durationMs());
        return m;
    }

    static Map<String, Object> decision(Trace.Decision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("task", d.task());
        m.put("attempt", d.attempt());
        m.put("outcome", d.outcome());
        m.put("worker", d.worker());
        m.put("rule", d.rule());
        m.put("reason", d.reason());
        return m;
    }

    private static String optional(Map<String, Node> m, String key) {
        Node n = m.get(key);
        return n == null || n.isNull() ? null : n.text();
    }

    private static String workerId(Node n) {
        String id = n.text();
        if (!WorkerIds.isValid(id)) {
            throw n.error("worker ID '" + id + "' must match " + WorkerIds.SHAPE);
        }
        return id;
    }

    private static long instant(Node n) {
        try {
            return Instant.parse(n.text()).toEpochMilli();
        } catch (DateTimeParseException e) {
            throw n.error("must be an ISO-8601 instant such as 2025-01-31T12:00:00Z, was '" + n.text() + "'");
        }
    }
}
