package io.kdispatch.benchmarks.jmh;

import io.kdispatch.dispatcher.breaker.Breaker;
import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One worker's circuit breaker as the dispatch processor uses it per result: record an outcome into a
 * full window (default policy, 20 results, a failure every fourth, never tripping) and judge whether it
 * admits the next task.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class BreakerBenchmark {
    BreakerPolicy policy = BreakerPolicy.defaults();
    Breaker breaker;
    long now;
    int n;

    @Setup(Level.Trial)
    public void setUp() {
        breaker = Breaker.closed("w1");
        for (int i = 0; i < policy.windowSize(); i++) {
            breaker = breaker.record(i % 4 == 0, i, policy, true);
        }
    }

    @Benchmark
    public boolean recordAndJudge() {
        breaker = breaker.record(++n % 4 == 0, ++now, policy, true);
        return breaker.admits(policy);
    }
}
