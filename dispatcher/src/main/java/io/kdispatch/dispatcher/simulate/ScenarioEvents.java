package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.simulate.Scenario.Selector;
import io.kdispatch.dispatcher.topology.VirtualDispatcher;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies a scenario's event at its time: workers die, restart, join or degrade in the simulation; drains,
 * cordons and setting changes go to the dispatcher as control-topic settings would.
 */
final class ScenarioEvents {
    private ScenarioEvents() {
    }

    static void apply(Scenario.Event event, Map<String, SimWorker> workers, VirtualDispatcher dispatcher, long now,
                      Consumer<SimWorker> restarted) {
        if (event instanceof Scenario.Kill k) {
            each(k.workers(), workers, w -> w.kill(now));
        } else if (event instanceof Scenario.Restart || event instanceof Scenario.Join) {
            Selector selector = event instanceof Scenario.Restart r ? r.workers() : ((Scenario.Join) event).workers();
            each(selector, workers, w -> {
                w.restart(now);
                restarted.accept(w);
            });
        } else if (event instanceof Scenario.Control c) {
            c.settings().forEach((key, value) -> dispatcher.control(key, value, now));
        } else if (event instanceof Scenario.WorkerState s) {
            each(s.workers(), workers, w -> dispatcher.control(ControlKeys.workerState(w.id), s.state(), now));
        } else if (event instanceof Scenario.Degrade d) {
            each(d.workers(), workers, w -> w.degrade(d.failureRate(), d.speed()));
        } else {
            throw new IllegalStateException("unhandled event " + event);
        }
    }

    static void each(Selector selector, Map<String, SimWorker> workers, Consumer<SimWorker> action) {
        workers.values().stream().filter(w -> selector.matches(w.id, w.group.labels())).forEach(action);
    }
}
