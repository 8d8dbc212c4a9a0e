package io.kdispatch.dispatcher.simulate;

import java.util.ArrayList;
import java.util.List;

/**
 * The tasks a scenario submits and what each attempt of them costs, drawn exactly as {@link Simulation} draws
 * them: for running the same scenario on the embedded broker with real SDK workers (the agreement test), so
 * that both runs see the same task IDs at the same times, and the same attempt sleeps as long on the broker
 * as it runs in the simulation.
 */
public final class ScenarioPlan {
    private ScenarioPlan() {
    }

    /** One task to submit {@code atMs} after the start; {@code seed} fixes what its attempts cost. */
    public record Planned(long atMs, String id, String type, String key, long seed) {
    }

    /** How long an attempt runs on its worker, and whether it fails. */
    public record Attempt(long serviceMs, boolean fails) {
    }

    /** The tasks a run of {@code scenario} with {@code seed} submits, in order. */
    public static List<Planned> tasks(Scenario scenario, long seed) {
        Workload workload = Simulation.workload(scenario, seed);
        List<Planned> out = new ArrayList<>();
        for (Workload.Arrival a = workload.next(); a != null; a = workload.next()) {
            out.add(new Planned(a.atMs(), Simulation.taskId(out.size()), scenario.taskTypes().get(a.type()).name(),
                    a.key(), a.seed()));
        }
        return out;
    }

    /**
     * Attempt {@code attempt} of the task with {@code seed} and type {@code type} on worker {@code workerId}, at
     * the speed and failure rate its group starts with.
     */
    public static Attempt attempt(Scenario scenario, String workerId, String type, long seed, int attempt) {
        for (Scenario.WorkerGroup g : scenario.fleet()) {
            for (int i = 1; i <= g.count(); i++) {
                if (g.workerId(i).equals(workerId)) {
                    Scenario.TaskType t = scenario.taskTypes().stream().filter(x -> x.name().equals(type))
                            .findFirst().orElseThrow(() -> new IllegalArgumentException("no task type " + type));
                    SimWorker.Fate f = SimWorker.fate(g, t, seed, attempt, g.speed(), g.failureRate());
                    return new Attempt(f.serviceMs(), f.fails());
                }
            }
        }
        throw new IllegalArgumentException("no worker " + workerId + " in scenario " + scenario.name());
    }
}
