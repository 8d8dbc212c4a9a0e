package io.kdispatch.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

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
        List<String> members = members(n);
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

    @Test
    void keysSpreadEvenlyEnoughForRoutingAndTheSameKeyAlwaysHasTheSameOwner() {
        HashRing ring = new HashRing(members(10));
        Map<String, Integer> counts = new HashMap<>();
        for (int k = 0; k < 100_000; k++) {
            counts.merge(ring.owner("k" + k), 1, Integer::sum);
        }
        double mean = 100_000 / 10.0;
        assertThat(counts).hasSize(10);
        assertThat(counts.values()).allSatisfy(c -> assertThat(c).isBetween((int) (mean * 0.8), (int) (mean * 1.2)));
        assertThat(new HashRing(members(10)).owner("k42")).isEqualTo(ring.owner("k42"));
    }

    @Test
    void anEmptyRingSaysSo() {
        HashRing ring = new HashRing(List.of());
        assertThat(ring.isEmpty()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ring.owner("k"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no members");
    }

    private static List<String> members(int n) {
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            members.add("worker-" + i);
        }
        return members;
    }
}
