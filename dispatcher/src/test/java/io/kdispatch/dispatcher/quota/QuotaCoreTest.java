package io.kdispatch.dispatcher.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The plain parts of quotas: shares, token buckets, rates, tenants and the board's rules. */
class QuotaCoreTest {
    @Test
    void sharesAddUpToTheLimitAndAreNeverZero() {
        for (int partitions = 1; partitions <= 12; partitions++) {
            for (int limit = 1; limit <= 60; limit++) {
                for (String name : new String[] {"acme", "b", "tenant-42"}) {
                    int sum = 0;
                    for (int p = 0; p < partitions; p++) {
                        int share = QuotaShare.of(limit, name, p, partitions);
                        assertThat(share).isPositive().isBetween(limit / partitions, limit / partitions + 1);
                        sum += share;
                    }
                    assertThat(sum).as("limit %d over %d", limit, partitions).isEqualTo(QuotaShare.bound(limit, partitions))
                            .isEqualTo(Math.max(limit, partitions));
                }
            }
        }
    }

    @Test
    void aBucketLetsThroughAtMostTheBurstPlusTheRateTimesTheTime() {
        Random random = new Random(7);
        Rate rate = new Rate(25, 10);
        TokenBucket bucket = new TokenBucket(rate, 0);
        long now = 0;
        int taken = 0;
        while (now < 60_000) {
            now += random.nextInt(50);
            while (bucket.available(now)) {
                bucket.take(now);
                taken++;
            }
            assertThat((double) taken).as("at %d ms", now).isLessThanOrEqualTo(10 + 25 * now / 1000.0);
        }
        assertThat(taken).as("and it is used").isGreaterThan(10 + 25 * 59);
        assertThat(bucket.available(now - 10_000)).as("a clock stepping back refills nothing").isFalse();
    }

    @Test
    void aResizedBucketKeepsItsTokensUpToTheNewBurst() {
        TokenBucket b = new TokenBucket(new Rate(1, 10), 0);
        b.take(0);
        TokenBucket smaller = b.resized(new Rate(1, 3), 0);
        int n = 0;
        while (smaller.available(0)) {
            smaller.take(0);
            n++;
        }
        assertThat(n).isEqualTo(3);
    }

    @Test
    void ratesReadAndWriteTheirText() {
        assertThat(Rate.parse("20")).isEqualTo(new Rate(20, 20));
        assertThat(Rate.parse(" 0.5 ")).isEqualTo(new Rate(0.5, 1));
        assertThat(Rate.parse("20:50").format()).isEqualTo("20:50");
        assertThat(Rate.parse("2.5:3").describe()).isEqualTo("2.5/s (burst 3)");
        assertThat(QuotaLimits.OptionalRate.parse("none")).isEqualTo(QuotaLimits.OptionalRate.NONE);
        assertThatThrownBy(() -> Rate.parse("fast")).hasMessageContaining("such as 20 or 20:50");
        assertThatThrownBy(() -> Rate.parse("0")).hasMessageContaining("between 0.001 and 100000");
        assertThatThrownBy(() -> Rate.parse("NaN")).hasMessageContaining("between 0.001 and 100000");
        assertThatThrownBy(() -> Rate.parse("5:0")).hasMessageContaining("burst must be between 1 and 1000000");
    }

    @Test
    void theTenantIsTheHeaderOrTheDefault() {
        Tenancy t = new Tenancy("x-tenant", "shared");
        assertThat(t.tenantOf(Map.of("x-tenant", "acme"))).isEqualTo("acme");
        assertThat(t.tenantOf(Map.of("x-tenant", " "))).isEqualTo("shared");
        assertThat(t.tenantOf(Map.of("tenant", "acme"))).isEqualTo("shared");
        assertThat(t.tenantOf(null)).isEqualTo("shared");
        assertThat(t.tenantOf(Map.of("x-tenant", "a".repeat(500)))).hasSize(Tenancy.MAX_TENANT_LENGTH);
        assertThatThrownBy(() -> new Tenancy(" ", "d")).hasMessageContaining("tenant.header");
    }

    @Test
    void theBoardCountsATasksOwnSlotOnceAndChecksEveryScope() {
        InFlight inFlight = new InFlight();
        QuotaBoard board = new QuotaBoard(0, 1, inFlight, new QuotaLimits(Map.of("echo", 2), Map.of("acme", 1), 0,
                Map.of(), Map.of(), null));
        QuotaBoard.Subject a = new QuotaBoard.Subject("a", "echo", "acme", null);
        assertThat(board.check(a, 0)).isNull();
        inFlight.add("a", "echo", "acme", null);
        assertThat(board.check(a, 0)).as("its retry takes over its own slot").isNull();
        QuotaBoard.Block b = board.check(new QuotaBoard.Subject("b", "echo", "acme", null), 0);
        assertThat(b.kind()).isEqualTo(QuotaBoard.Block.Kind.QUOTA);
        assertThat(b.reason()).isEqualTo("tenant acme at its limit 1");
        assertThat(board.check(new QuotaBoard.Subject("c", "echo", "other", null), 0)).isNull();
        inFlight.add("c", "echo", "other", null);
        assertThat(board.check(new QuotaBoard.Subject("d", "echo", "third", null), 0).reason())
                .isEqualTo("task type echo at its limit 2");
        inFlight.remove("a", "echo", "acme", null);
        assertThat(board.check(new QuotaBoard.Subject("b", "echo", "acme", null), 0)).isNull();
    }

    @Test
    void runTimeOverridesLiftAndSetLimits() {
        QuotaLimits base = new QuotaLimits(Map.of(), Map.of("acme", 5, "bravo", 3), 0, Map.of(),
                Map.of("acme", new Rate(1, 1)), null);
        QuotaLimits.Overrides o = new QuotaLimits.Overrides(Map.of(Scope.TENANT, Map.of("acme", 0, "c", 9)),
                Map.of(Scope.TENANT, Map.of("acme", QuotaLimits.OptionalRate.NONE)), 4, null);
        QuotaLimits q = base.with(o);
        assertThat(q.limit(Scope.TENANT, "acme")).isZero();
        assertThat(q.limit(Scope.TENANT, "bravo")).isEqualTo(3);
        assertThat(q.limit(Scope.TENANT, "c")).isEqualTo(9);
        assertThat(q.limit(Scope.KEY, "any")).isEqualTo(4);
        assertThat(q.rate(Scope.TENANT, "acme")).isNull();
        assertThat(q.configured(Scope.TENANT)).containsExactly("bravo", "c");
        assertThat(base.with(QuotaLimits.Overrides.NONE)).isSameAs(base);
    }
}
