package io.kdispatch.dispatcher.routing;

import static io.kdispatch.dispatcher.routing.Fixtures.assigned;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Consistent hashing with bounded loads, driven through the {@link Router} with loads that follow each assignment. */
class BoundedLoadTest {

    @Property(tries = 30)
    void withAHundredKeysPerWorkerTheBusiestHoldsAtMostFivePercentAboveTheMean(
            @ForAll @IntRange(min = 2, max = 60) int workers,
            @ForAll @IntRange(min = 100, max = 200) int keysPerWorker) {
        Router router = new Router(Fixtures.roomy(workers), RoutingConfig.defaults().withBoundedLoadFactor(1.05));
        Fixtures.Loads loads = new Fixtures.Loads();
        int keys = workers * keysPerWorker;
        for (int k = 0; k < keys; k++) {
            loads.add(assigned(router.decide(RoutingRequest.of("task-" + k, "key-" + k), loads)).workerId());
        }
        double mean = (double) keys / workers;
        assertThat(loads.loads).hasSize(workers);
        assertThat(Collections.max(loads.loads.values())).as("busiest of %d workers, mean %.1f", workers, mean)
                .isLessThanOrEqualTo((int) Math.ceil(1.05 * mean));
    }

    @Property(tries = 200)
    void noWorkerExceedsTheBoundWhileAnotherEligibleWorkerIsUnderIt(
            @ForAll @IntRange(min = 1, max = 40) int workers, @ForAll @DoubleRange(min = 1.0, max = 3.0) double factor,
            @ForAll boolean byTaskId, @ForAll long seed) {
        Random random = new Random(seed);
        RoutingConfig config = RoutingConfig.defaults().withBoundedLoadFactor(factor);
        Router router = new Router(Fixtures.roomy(workers), config);
        Fixtures.Loads loads = new Fixtures.Loads();
        long total = 0;
        for (int t = 0; t < 40 * workers; t++) {
            // Hot keys: a few keys carry most tasks, the worst case for plain consistent hashing.
            String key = "key-" + (random.nextInt(4) == 0 ? random.nextInt(1_000) : random.nextInt(3));
            RoutingRequest request = byTaskId
                    ? RoutingRequest.of(key + "/" + t, null)
                    : RoutingRequest.of("t" + t, key);
            loads.add(assigned(router.decide(request, loads)).workerId());
            total++;
            long bound = BoundedLoad.bound(factor, total - 1, workers);
            for (String id : Fixtures.ids(workers)) {
                assertThat((long) loads.load(id)).as("load of %s after %d tasks, bound %d", id, total, bound)
                        .isLessThanOrEqualTo(bound);
            }
        }
    }

    @Test
    void theBoundIsTheCeilingOfFactorTimesTheMeanAfterTheAssignment() {
        assertThat(BoundedLoad.bound(1.25, 0, 10)).isEqualTo(1);
        assertThat(BoundedLoad.bound(1.25, 7, 2)).isEqualTo(5);
        assertThat(BoundedLoad.bound(1.0, 9, 10)).isEqualTo(1);
        // 1.1 x 10 / 11 is 1.0000000000000002 in doubles: the bound must still be 1.
        assertThat(BoundedLoad.bound(1.1, 9, 11)).isEqualTo(1);
    }

    @Test
    void aHotKeySpillsOverOnlyAsFarAsTheBoundRequires() {
        Router router = new Router(Fixtures.roomy(5), RoutingConfig.defaults());
        Fixtures.Loads loads = new Fixtures.Loads();
        Map<String, Integer> perWorker = new HashMap<>();
        for (int t = 0; t < 1_000; t++) {
            String id = assigned(router.decide(RoutingRequest.of("t" + t, "hot"), loads)).workerId();
            loads.add(id);
            perWorker.merge(id, 1, Integer::sum);
        }
        // Every task has the same key: it fills worker after worker up to the bound, ceil(1.25 x 1000 / 5) = 250.
        assertThat(perWorker.values()).allSatisfy(count -> assertThat(count).isLessThanOrEqualTo(250));
        assertThat(perWorker.values().stream().filter(count -> count >= 245)).as("filled to the bound").hasSize(4);
    }
}
