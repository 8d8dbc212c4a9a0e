package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.simulate.Scenario.WorkerGroup;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A kind of worker that capacity is planned for: a worker group of a scenario ({@code w}), the workers whose
 * labels match ({@code pool=gpu,zone=a}), or every worker ({@code all}). {@link #resize} replaces the workers of
 * the kind with {@code n} alike ones, the rest of the scenario unchanged.
 *
 * @param name what reports and the gauge call it
 * @param group the scenario group it is, or null
 * @param labels the labels its workers carry (all must match), when {@code group} is null
 */
public record WorkerKind(String name, String group, Map<String, String> labels) {
    private static final Pattern ID_UNSAFE = Pattern.compile("[^a-zA-Z0-9._-]");

    public WorkerKind {
        labels = Map.copyOf(labels);
    }

    /**
     * {@code all}, {@code key=value[,key=value...]} or a group name.
     *
     * @throws IllegalArgumentException for a malformed label list
     */
    public static WorkerKind parse(String text) {
        String t = text.trim();
        if (t.equals("all")) {
            return new WorkerKind("all", null, Map.of());
        }
        if (!t.contains("=")) {
            return new WorkerKind(t, t, Map.of());
        }
        Map<String, String> labels = new TreeMap<>();
        for (String pair : t.split(",")) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || eq == pair.length() - 1) {
                throw new IllegalArgumentException("a worker kind is all, a group name or key=value[,key=value...]; "
                        + "was '" + text + "'");
            }
            labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return new WorkerKind(t, null, labels);
    }

    boolean matches(WorkerGroup g) {
        if (group != null) {
            return g.name().equals(group);
        }
        return labels.entrySet().stream().allMatch(e -> e.getValue().equals(g.labels().get(e.getKey())));
    }

    /** Workers of the kind in {@code scenario}. */
    public int count(Scenario scenario) {
        return scenario.fleet().stream().filter(this::matches).mapToInt(WorkerGroup::count).sum();
    }

    /**
     * {@code scenario} with the workers of this kind replaced by {@code n} like them: the median capacity,
     * the labels and queue of the first, the mean speed and failure rate, each task type's observed service
     * times pooled. A group keeps its events; for a kind by labels, events that named only replaced workers
     * (a trace's joins, deaths and failure windows) are dropped.
     *
     * @throws ScenarioException when no worker is of this kind
     */
    public Scenario resize(Scenario scenario, int n) {
        List<WorkerGroup> kind = scenario.fleet().stream().filter(this::matches).toList();
        if (kind.isEmpty()) {
            throw new ScenarioException("no worker of kind '" + name + "' in " + scenario.name());
        }
        List<String> replaced = new ArrayList<>();
        kind.forEach(g -> {
            for (int i = 1; i <= g.count(); i++) {
                replaced.add(g.workerId(i));
            }
        });
        List<WorkerGroup> fleet = new ArrayList<>();
        boolean placed = false;
        for (WorkerGroup g : scenario.fleet()) {
            if (!matches(g)) {
                fleet.add(g);
            } else if (!placed) {
                fleet.add(alike(kind, n));
                placed = true;
            }
        }
        List<Scenario.Event> events = scenario.events().stream().filter(e -> keeps(e, replaced)).toList();
        return new Scenario(scenario.name(), scenario.description(), scenario.durationMs(), scenario.graceMs(),
                scenario.seed(), scenario.dispatcher(), scenario.networkDelayMs(), scenario.heartbeatMs(), fleet,
                scenario.taskTypes(), scenario.arrivals(), events);
    }

    private WorkerGroup alike(List<WorkerGroup> kind, int n) {
        int[] capacities = kind.stream().flatMapToInt(g -> java.util.stream.IntStream.generate(g::capacity)
                .limit(g.count())).sorted().toArray();
        int total = capacities.length;
        double speed = kind.stream().mapToDouble(g -> g.speed() * g.count()).sum() / total;
        double failure = kind.stream().mapToDouble(g -> g.failureRate() * g.count()).sum() / total;
        Map<String, Distribution> times = new TreeMap<>();
        kind.forEach(g -> g.serviceTimes().forEach((type, d) -> times.merge(type, d, WorkerKind::pool)));
        WorkerGroup first = kind.get(0);
        String prefix = group != null ? group : ID_UNSAFE.matcher(name).replaceAll("_");
        return new WorkerGroup(prefix, n, capacities[total / 2], first.queue(), first.labels(), first.weight(), speed,
                failure, times, false);
    }

    private static Distribution pool(Distribution a, Distribution b) {
        if (a instanceof Distribution.Empirical x && b instanceof Distribution.Empirical y) {
            double[] all = Arrays.copyOf(x.samplesMs(), x.samplesMs().length + y.samplesMs().length);
            System.arraycopy(y.samplesMs(), 0, all, x.samplesMs().length, y.samplesMs().length);
            return new Distribution.Empirical(all);
        }
        return a;
    }

    /** A group keeps its events (its workers keep their IDs); a kind by labels drops those of replaced IDs. */
    private boolean keeps(Scenario.Event e, List<String> replaced) {
        Scenario.Selector s = null;
        if (e instanceof Scenario.Kill k) {
            s = k.workers();
        } else if (e instanceof Scenario.Restart r) {
            s = r.workers();
        } else if (e instanceof Scenario.Join j) {
            s = j.workers();
        } else if (e instanceof Scenario.WorkerState w) {
            s = w.workers();
        } else if (e instanceof Scenario.Degrade d) {
            s = d.workers();
        }
        return group != null || s == null || s.ids().isEmpty() || !replaced.containsAll(s.ids());
    }
}
