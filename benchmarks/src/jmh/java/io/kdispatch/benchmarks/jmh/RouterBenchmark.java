package io.kdispatch.benchmarks.jmh;

import io.kdispatch.dispatcher.routing.LoadView;
import io.kdispatch.dispatcher.routing.Router;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.RoutingDecision;
import io.kdispatch.dispatcher.routing.RoutingRequest;
import io.kdispatch.dispatcher.routing.Strategy;
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
 * One routing decision ({@link Router#decide}) against a warmed router, as the dispatch processor makes
 * it per task attempt: by fleet size and request shape (default strategy), and by strategy (plain
 * requests). Run with {@code -prof gc} for the bytes allocated per decision.
 */
@BenchmarkMode({Mode.AverageTime, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {

    /** Fleet size by request shape, with the default strategy. */
    @State(Scope.Thread)
    public static class ByShape {
        @Param({"10", "100", "1000", "10000"})
        int workers;

        @Param({"PLAIN", "LABELS", "AFFINITY", "ANTI_AFFINITY", "LABELS_AND_AFFINITY"})
        Fleets.Shape shape;

        Router router;
        LoadView loads;
        RoutingRequest[] requests;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            router = new Router(Fleets.workers(workers), RoutingConfig.defaults());
            loads = router.board(Fleets.loads(workers)); // as the topology decides: on the router's load board
            requests = Fleets.requests(shape, workers);
            for (RoutingRequest request : requests) {
                router.decide(request, loads); // builds the cached tables and the ring
            }
        }
    }

    /** Fleet size by strategy, plain requests. */
    @State(Scope.Thread)
    public static class ByStrategy {
        @Param({"10", "100", "1000", "10000"})
        int workers;

        @Param({"CONSISTENT_HASH", "LEAST_LOADED", "WEIGHTED", "PREDICTIVE", "AUTO"})
        Strategy strategy;

        Router router;
        LoadView loads;
        RoutingRequest[] requests;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            router = new Router(Fleets.workers(workers), RoutingConfig.defaults().withStrategy(strategy));
            loads = router.board(Fleets.loads(workers));
            requests = Fleets.requests(Fleets.Shape.PLAIN, workers);
            for (RoutingRequest request : requests) {
                router.decide(request, loads);
            }
        }
    }

    @Benchmark
    public RoutingDecision decideByShape(ByShape s) {
        RoutingRequest request = s.requests[s.next];
        s.next = (s.next + 1) & (Fleets.REQUESTS - 1);
        return s.router.decide(request, s.loads);
    }

    @Benchmark
    public RoutingDecision decideByStrategy(ByStrategy s) {
        RoutingRequest request = s.requests[s.next];
        s.next = (s.next + 1) & (Fleets.REQUESTS - 1);
        return s.router.decide(request, s.loads);
    }
}
