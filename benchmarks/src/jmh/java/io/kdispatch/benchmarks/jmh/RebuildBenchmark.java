package io.kdispatch.benchmarks.jmh;

import io.kdispatch.dispatcher.health.Liveness;
import io.kdispatch.dispatcher.routing.LoadView;
import io.kdispatch.dispatcher.routing.Router;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.dispatcher.routing.RoutingRequest;
import io.kdispatch.dispatcher.routing.WorkerState;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a heartbeat that changes routing costs: the worker view is judged into a new map of worker
 * states (as the fleet tracker does on a tick), one worker's liveness differs, the router is rebuilt
 * over it ({@link Router#withWorkers}, keeping the ring) and the first decision builds its table again.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class RebuildBenchmark {
    @Param({"100", "1000", "10000"})
    int workers;

    Map<String, WorkerState> view;
    Router router;
    LoadView loads;
    RoutingRequest request = RoutingRequest.of("task-1", null);
    boolean flip;

    @Setup(Level.Trial)
    public void setUp() {
        view = Fleets.workers(workers);
        router = new Router(view, RoutingConfig.defaults());
        loads = Fleets.loads(workers);
        router.decide(request, loads);
    }

    @Benchmark
    public RoutingDecision livenessChange() {
        Map<String, WorkerState> next = new HashMap<>(view.size() * 2);
        for (WorkerState w : view.values()) {
            next.put(w.id(), new WorkerState(w.id(), w.incarnation(), w.liveness(), w.labels(), w.capacity(),
                    w.weight(), w.cordoned(), w.breakerOpen()));
        }
        flip = !flip;
        WorkerState first = next.get("w0");
        next.put("w0", new WorkerState("w0", 1, flip ? Liveness.SUSPECT : Liveness.READY, first.labels(),
                first.capacity(), first.weight(), false, false));
        if (next.equals(view)) {
            throw new AssertionError("the view must have changed");
        }
        router = router.withWorkers(next);
        view = next; // the next call flips w0 back: a change against this view, not the first one
        return router.decide(request, loads);
    }
}
