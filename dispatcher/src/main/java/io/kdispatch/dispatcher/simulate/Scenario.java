package io.kdispatch.dispatcher.simulate;

import java.util.List;
import java.util.Map;

/**
 * A simulation scenario as read from a file ({@link ScenarioParser}): the fleet, the work that arrives,
 * what happens on the way, and the dispatcher settings it starts with. Times are milliseconds from the
 * start of the run. Validated on construction by the parser; immutable.
 *
 * @param name short name, shown in reports
 * @param description one or two sentences, shown in reports; may be empty
 * @param durationMs how long tasks arrive
 * @param graceMs how long the run goes on after the last arrival for tasks still in flight
 * @param seed the seed used unless the caller gives another
 * @param dispatcher dispatcher settings from the catalogue (as in {@code dispatcher.properties}), sorted
 * @param networkDelayMs one-way delay between the dispatcher and a worker, for assignments and results
 * @param heartbeatMs how often workers heartbeat
 * @param fleet the worker groups
 * @param taskTypes the task types, with their share of the arrivals
 * @param arrivals the arrival process
 * @param events what happens when, in time order
 */
public record Scenario(String name, String description, long durationMs, long graceMs, long seed,
                       Map<String, String> dispatcher, long networkDelayMs, long heartbeatMs, List<WorkerGroup> fleet,
                       List<TaskType> taskTypes, Arrivals arrivals, List<Event> events) {
    public Scenario {
        dispatcher = Map.copyOf(dispatcher);
        fleet = List.copyOf(fleet);
        taskTypes = List.copyOf(taskTypes);
        events = List.copyOf(events);
    }

    /** Total workers over every group. */
    public int workerCount() {
        return fleet.stream().mapToInt(WorkerGroup::count).sum();
    }

    /**
     * {@code count} workers named {@code name-1..name-count}.
     *
     * @param queue what each declares it holds beyond its capacity (heartbeat {@code maxQueued}); more is REJECTED
     * @param speed service times are divided by it
     * @param failureRate chance that an attempt fails on such a worker, on top of its task type's
     * @param serviceTimes per task type, a distribution replacing the type's own on these workers
     * @param exactId the group is one worker whose ID is {@code name} itself (a worker of a recorded trace)
     */
    public record WorkerGroup(String name, int count, int capacity, int queue, Map<String, String> labels,
                              double weight, double speed, double failureRate, Map<String, Distribution> serviceTimes,
                              boolean exactId) {
        public WorkerGroup {
            labels = Map.copyOf(labels);
            serviceTimes = Map.copyOf(serviceTimes);
            if (exactId && count != 1) {
                throw new IllegalArgumentException("a group named by its worker's ID has one worker, not " + count);
            }
        }

        /** The ID of the {@code i}-th worker (1-based): {@code name-i}, or {@code name} for an exact ID. */
        public String workerId(int i) {
            return exactId ? name : name + "-" + i;
        }

        /** The same group with {@code n} workers. */
        public WorkerGroup withCount(int n) {
            return new WorkerGroup(name, n, capacity, queue, labels, weight, speed, failureRate, serviceTimes, false);
        }
    }

    /**
     * @param weight share of arrivals, relative to the other types
     * @param requires hard label requirements
     * @param prefers soft label preferences
     * @param keys the affinity keys its tasks carry, or null for none
     */
    public record TaskType(String name, double weight, Distribution serviceTime, double failureRate, int maxAttempts,
                           int priority, Map<String, String> requires, Map<String, String> prefers, KeySpace keys) {
        public TaskType {
            requires = Map.copyOf(requires);
            prefers = Map.copyOf(prefers);
        }
    }

    /**
     * Affinity keys {@code prefix0..prefix(count-1)}, drawn with Zipf skew {@code exponent} (0 = uniform).
     *
     * @param share the fraction of the type's tasks that carry a key
     */
    public record KeySpace(String prefix, int count, double exponent, double share) {
    }

    /**
     * Poisson arrivals whose rate steps over time, plus bursts on top; or, when {@code recorded} is not
     * empty, exactly those tasks at exactly their times (a trace), and no others.
     */
    public record Arrivals(List<Step> rate, List<Burst> bursts, List<Recorded> recorded) {
        public Arrivals {
            rate = List.copyOf(rate);
            bursts = List.copyOf(bursts);
            recorded = List.copyOf(recorded);
        }

        /** Poisson arrivals. */
        public Arrivals(List<Step> rate, List<Burst> bursts) {
            this(rate, bursts, List.of());
        }
    }

    /**
     * One recorded task: its submission time, its task type (an index into {@link Scenario#taskTypes()}) and
     * the routing hints it carried.
     */
    public record Recorded(long atMs, int type, TaskSpec task) {
    }

    /**
     * What a task tells the router, as submitted: ID, priority, hard label requirements (plain ones and
     * {@code requirements} with an operator), preferences, affinity key, anti-affinity group, attempts, and
     * its deadline relative to its submission (null: none).
     */
    public record TaskSpec(String id, int priority, Map<String, String> requires, List<Requirement> requirements,
                           Map<String, String> prefers, String key, String group, int maxAttempts, Long deadlineInMs) {
        public TaskSpec {
            requires = Map.copyOf(requires);
            requirements = List.copyOf(requirements);
            prefers = Map.copyOf(prefers);
        }
    }

    /** A label requirement with an operator: IN, NOT_IN, EXISTS, DOES_NOT_EXIST. */
    public record Requirement(String key, String operator, List<String> values) {
        public Requirement {
            values = List.copyOf(values);
        }
    }

    /** From {@code atMs} on, tasks arrive at {@code perSecond}. */
    public record Step(long atMs, double perSecond) {
    }

    /** From {@code atMs} for {@code durationMs}, {@code perSecond} more tasks arrive. */
    public record Burst(long atMs, long durationMs, double perSecond) {
    }

    /** Workers by ID or by labels (all of which must match). */
    public record Selector(List<String> ids, Map<String, String> labels) {
        public Selector {
            ids = List.copyOf(ids);
            labels = Map.copyOf(labels);
        }

        public boolean matches(String id, Map<String, String> workerLabels) {
            if (!ids.isEmpty()) {
                return ids.contains(id);
            }
            return labels.entrySet().stream().allMatch(e -> e.getValue().equals(workerLabels.get(e.getKey())));
        }

        @Override
        public String toString() {
            return ids.isEmpty() ? labels.toString() : String.join(",", ids);
        }
    }

    /** Something that happens at {@code atMs}. */
    public sealed interface Event {
        long atMs();
    }

    /** The workers stop dead: no more heartbeats or results; what they held is lost. */
    public record Kill(long atMs, Selector workers) implements Event {
    }

    /** The workers start again (a new incarnation), empty, or come back after a kill. */
    public record Restart(long atMs, Selector workers) implements Event {
    }

    /** The workers are absent from the start of the run and start, empty, at {@code atMs}. */
    public record Join(long atMs, Selector workers) implements Event {
    }

    /** An operator's change on the control topic: {@code settings} key to value (null resets). */
    public record Control(long atMs, Map<String, String> settings) implements Event {
    }

    /** An operator sets {@code worker.<id>.state} of the selected workers to {@code state} (drain, cordon...). */
    public record WorkerState(long atMs, Selector workers, String state) implements Event {
    }

    /** The workers' behaviour changes: a failure rate or a speed (null leaves it). */
    public record Degrade(long atMs, Selector workers, Double failureRate, Double speed) implements Event {
    }
}
