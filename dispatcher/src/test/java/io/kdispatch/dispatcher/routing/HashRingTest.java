package io.kdispatch.dispatcher.routing;

import static io.kdispatch.dispatcher.routing.Fixtures.assigned;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HashRingTest {

    @Property(tries = 40)
    void aLeaveMovesOnlyTheLeaversKeysAndAJoinMovesAboutOneNth(@ForAll @IntRange(min = 2, max = 200) int n) {
        List<String> members = Fixtures.ids(n);
        HashRing before = new HashRing(members);
        List<String> fewer = new ArrayList<>(members);
        String leaver = fewer.remove(n / 2);
        HashRing after = new HashRing(fewer);

        int keys = 20_000;
        int moved = 0;
        for (int k = 0; k < keys; k++) {
            String key = "key-" + k;
            String was = before.owner(key);
            String is = after.owner(key);
            if (!was.equals(is)) {
                moved++;
                assertThat(was).as("only the leaver's keys move").isEqualTo(leaver);
            }
        }
        // Seen from the smaller ring, the leaver is the one that joins: the same keys move.
        assertThat((double) moved / keys).as("share of keys moved for n=%d", n).isLessThanOrEqualTo(1.0 / n + 0.02);
    }

    /** Invariant 5 of DESIGN.md, through the router: one of N workers leaves, or joins, with all loads zero. */
    @Property(tries = 40)
    void throughTheRouterALeaveMovesOnlyTheLeaversKeysAndAJoinOnlyTakesKeysToTheJoiner(
            @ForAll @IntRange(min = 2, max = 200) int n, @ForAll @IntRange(min = 0, max = 199) int which) {
        Map<String, WorkerState> all = Fixtures.roomy(n);
        String mover = "worker-" + (which % n);
        Map<String, WorkerState> without = new HashMap<>(all);
        without.remove(mover);
        Router full = new Router(all, RoutingConfig.defaults());
        Router smaller = new Router(without, RoutingConfig.defaults());

        int keys = 10_000;
        int left = 0;
        int joined = 0;
        for (int k = 0; k < keys; k++) {
            RoutingRequest request = RoutingRequest.of("task-" + k, "key-" + k);
            String withMover = assigned(full.decide(request, LoadView.IDLE)).workerId();
            String withoutMover = assigned(smaller.decide(request, LoadView.IDLE)).workerId();
            if (!withMover.equals(withoutMover)) {
                // The same pair read both ways: leaving moves the mover's keys, joining gives keys to the joiner.
                assertThat(withMover).as("key-%d moved between two workers that stayed", k).isEqualTo(mover);
                left++;
                joined++;
            }
        }
        assertThat((double) left / keys).as("share moved when one of %d leaves", n).isLessThanOrEqualTo(1.0 / n + 0.02);
        assertThat((double) joined / keys).as("share moved when the %dth joins", n).isLessThanOrEqualTo(1.0 / n + 0.02);
    }

    @Test
    void keysSpreadEvenlyEnoughForRoutingAndTheSameKeyAlwaysHasTheSameOwner() {
        HashRing ring = new HashRing(Fixtures.ids(10));
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 0; k < 100_000; k++) {
            counts.merge(ring.owner("k" + k), 1, Integer::sum);
        }
        double mean = 100_000 / 10.0;
        assertThat(counts).hasSize(10);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween((int) (mean * 0.8), (int) (mean * 1.2)));
        assertThat(new HashRing(Fixtures.ids(10)).owner("k42")).isEqualTo(ring.owner("k42"));
    }

    @Test
    void theRingDoesNotDependOnTheOrderMembersAreGivenIn() {
        List<String> members = Fixtures.ids(30);
        List<String> reversed = new ArrayList<>(members);
        java.util.Collections.reverse(reversed);
        HashRing a = new HashRing(members);
        HashRing b = new HashRing(reversed);
        for (int k = 0; k < 1_000; k++) {
            assertThat(b.owner("k" + k)).isEqualTo(a.owner("k" + k));
        }
    }

    @Test
    void aWalkSkipsRejectedMembersAndSaysWhenNoneIsAccepted() {
        HashRing ring = new HashRing(Fixtures.ids(5));
        int owner = ring.walk("k", i -> true);
        assertThat(ring.members().get(owner)).isEqualTo(ring.owner("k"));
        int next = ring.walk("k", i -> i != owner);
        assertThat(next).isNotEqualTo(owner).isBetween(0, 4);
        assertThat(ring.owner("k", java.util.Set.of(ring.members().get(owner)))).isEqualTo(ring.members().get(next));
        assertThat(ring.walk("k", i -> false)).isEqualTo(-1);
    }

    @Test
    void anEmptyRingSaysSo() {
        HashRing ring = new HashRing(List.of());
        assertThat(ring.isEmpty()).isTrue();
        assertThat(ring.walk("k", i -> true)).isEqualTo(-1);
        assertThatThrownBy(() -> ring.owner("k")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no members");
        assertThatThrownBy(() -> new HashRing(List.of("a"), 0)).hasMessage("virtualNodes must be at least 1, was 0");
    }
}
