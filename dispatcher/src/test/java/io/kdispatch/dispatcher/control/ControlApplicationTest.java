package io.kdispatch.dispatcher.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.kdispatch.dispatcher.breaker.Breaker;
import io.kdispatch.dispatcher.breaker.BreakerPolicy;
import io.kdispatch.dispatcher.config.ControlPattern;
import io.kdispatch.dispatcher.config.Setting;
import io.kdispatch.dispatcher.config.SettingType;
import io.kdispatch.dispatcher.config.Settings;
import io.kdispatch.dispatcher.routing.RoutingConfig;
import io.kdispatch.dispatcher.routing.Strategy;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import io.kdispatch.dispatcher.quota.Fairness;
import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.Rate;
import io.kdispatch.dispatcher.quota.Scope;
import org.junit.jupiter.api.Test;

/**
 * Applying control state is total: every value the control topic accepts for every run-time key, from the
 * bottom of its range to the top, goes through the real path a dispatcher takes (canonical text →
 * {@link ControlState} → {@link ControlState#routing} and {@link BreakerOverrides#apply}) over the smallest,
 * default and largest base configurations, without an exception and with the expected effective value.
 * A run-time key added to the catalogue without an entry in {@link #EFFECTIVE} fails the first test.
 */
class ControlApplicationTest {
    /** Where each run-time key shows in the effective configuration. */
    private static final Map<Setting<?>, BiFunction<RoutingConfig, BreakerPolicy, Object>> EFFECTIVE = Map.ofEntries(
            Map.entry(Settings.QUOTA_KEY, (r, b) -> null), // quotas: see QUOTAS
            Map.entry(Settings.RATE_KEY, (r, b) -> null),
            Map.entry(Settings.QUEUE_AGING_MS, (r, b) -> null), // the wait queue: see FAIRNESS
            Map.entry(Settings.ROUTING_STRATEGY, (r, b) -> r.strategy()),
            Map.entry(Settings.ROUTING_AB_STRATEGY, (r, b) -> Optional.ofNullable(r.abStrategy())),
            Map.entry(Settings.ROUTING_AB_PERCENT, (r, b) -> r.abPercent()),
            Map.entry(Settings.ROUTING_BOUNDED_LOAD, (r, b) -> r.boundedLoadFactor()),
            Map.entry(Settings.ROUTING_PREFETCH, (r, b) -> r.prefetch()),
            Map.entry(Settings.BREAKER_FAILURE_RATE, (r, b) -> b.failureRateThreshold()),
            Map.entry(Settings.BREAKER_MINIMUM_CALLS, (r, b) -> b.minimumCalls()),
            Map.entry(Settings.BREAKER_OPEN_MS, (r, b) -> b.openDuration().toMillis()),
            Map.entry(Settings.BREAKER_MAX_EJECTED, (r, b) -> b.maxEjectedPercent()));
    /** Where each run-time quota key shows in the effective limits, over a base that has a limit and a rate. */
    private static final Map<Setting<?>, Function<QuotaLimits, Object>> QUOTAS = Map.of(
            Settings.QUOTA_KEY, q -> q.limit(Scope.KEY, "k"),
            Settings.RATE_KEY, q -> new QuotaLimits.OptionalRate(q.rate(Scope.KEY, "k")));
    /** Where each run-time fairness key shows in the wait queue's rules, over a base with a weight and aging. */
    private static final Map<Setting<?>, Function<Fairness, Object>> FAIRNESS = Map.of(
            Settings.QUEUE_AGING_MS, Fairness::agingMs);
    private static final Fairness FAIRNESS_BASE = new Fairness(Map.of("a", 5), 1_234);
    private static final QuotaLimits QUOTA_BASE = new QuotaLimits(Map.of(), Map.of(), 7, Map.of(), Map.of(),
            new Rate(3, 3));

    private static final List<RoutingConfig> ROUTING_BASES = List.of(RoutingConfig.defaults(),
            new RoutingConfig(Strategy.CONSISTENT_HASH, null, 0, RoutingConfig.MIN_BOUNDED_LOAD_FACTOR, 0),
            new RoutingConfig(Strategy.AUTO, Strategy.PREDICTIVE, RoutingConfig.MAX_AB_PERCENT,
                    RoutingConfig.MAX_BOUNDED_LOAD_FACTOR, RoutingConfig.MAX_PREFETCH));
    private static final List<BreakerPolicy> BREAKER_BASES = List.of(BreakerPolicy.defaults(),
            new BreakerPolicy(BreakerPolicy.MIN_WINDOW, 1, BreakerPolicy.MIN_FAILURE_RATE, 0,
                    Duration.ofMillis(BreakerPolicy.MIN_OPEN_MS), Duration.ofMillis(BreakerPolicy.MIN_OPEN_MS),
                    BreakerPolicy.MIN_PROBES, 0),
            new BreakerPolicy(BreakerPolicy.MAX_WINDOW, BreakerPolicy.MAX_WINDOW, BreakerPolicy.MAX_PERCENT,
                    BreakerPolicy.MAX_SLOW_CALL_MS, Duration.ofMillis(BreakerPolicy.MAX_OPEN_MS),
                    Duration.ofMillis(BreakerPolicy.MAX_OPEN_MS), BreakerPolicy.MAX_PROBES, BreakerPolicy.MAX_PERCENT));

    @Test
    void everyRunTimeKeyIsCovered() {
        assertThat(EFFECTIVE.keySet()).containsExactlyInAnyOrderElementsOf(Settings.runtime());
    }

    @Test
    void everyAcceptedValueOfEveryRunTimeKeyAppliesOverEveryBase() {
        for (Setting<?> setting : Settings.runtime()) {
            assertThat(setting.type().samples()).as("%s has samples", setting).hasSizeGreaterThanOrEqualTo(2);
            for (Object value : setting.type().samples()) {
                String text = canonical(setting, value);
                ControlState state = ControlState.of(Map.of(setting.key(), ControlKeys.normalize(setting.key(), text)));
                assertThat(state.invalid()).as("%s=%s", setting, text).isEmpty();
                for (RoutingConfig routing : ROUTING_BASES) {
                    for (BreakerPolicy breaker : BREAKER_BASES) {
                        assertApplies(state, routing, breaker, setting, value);
                    }
                }
            }
        }
    }

    @Test
    void allLowestAndAllHighestValuesApplyTogether() {
        for (boolean highest : new boolean[] {false, true}) {
            Map<String, String> raw = new LinkedHashMap<>();
            for (Setting<?> setting : Settings.runtime()) {
                List<?> samples = setting.type().samples();
                raw.put(setting.key(), canonical(setting, samples.get(highest ? samples.size() - 1 : 0)));
            }
            ControlState state = ControlState.of(raw);
            assertThat(state.invalid()).isEmpty();
            for (RoutingConfig routing : ROUTING_BASES) {
                for (BreakerPolicy breaker : BREAKER_BASES) {
                    assertThatCode(() -> exercise(state.breaker().apply(breaker))).doesNotThrowAnyException();
                    assertThatCode(() -> state.routing(routing)).doesNotThrowAnyException();
                }
            }
        }
    }

    @Test
    void everyValueOfEveryPatternedKeyAppliesAtTheShortestAndLongestName() {
        for (ControlPattern<?> pattern : Settings.PATTERNS) {
            for (String name : List.of("a", "a".repeat(pattern.maxNameLength()))) {
                for (Object value : pattern.type().samples()) {
                    String key = pattern.key(name);
                    ControlState state = ControlState.of(Map.of(key, canonical(pattern.type(), value)));
                    assertThat(state.invalid()).as(key).isEmpty();
                    assertThat(patterned(state, pattern, name)).as(key).isEqualTo(value);
                }
            }
            assertThat(ControlState.of(Map.of(pattern.key("a".repeat(pattern.maxNameLength() + 1)), "true"))
                    .invalid()).as("a name over the limit of %s", pattern.shape()).hasSize(1);
        }
    }

    @Test
    void aValueJustOutsideItsRangeIsRefusedAndChangesNothing() {
        for (Setting<?> setting : Settings.runtime()) {
            if (!(setting.type() instanceof SettingType.Numeric<?> numeric)) {
                continue;
            }
            for (String outside : List.of(below(numeric), above(numeric))) {
                ControlState state = ControlState.of(Map.of(setting.key(), outside));
                assertThat(state.invalid()).as("%s=%s", setting, outside).containsOnlyKeys(setting.key());
                RoutingConfig base = RoutingConfig.defaults();
                assertThat(state.routing(base)).isSameAs(base);
                assertThat(state.breaker()).isEqualTo(BreakerOverrides.NONE);
            }
        }
    }

    private static void assertApplies(ControlState state, RoutingConfig routing, BreakerPolicy breaker,
                                      Setting<?> setting, Object value) {
        Map<String, Object> effective = new HashMap<>();
        assertThatCode(() -> {
            RoutingConfig r = state.routing(routing);
            BreakerPolicy b = state.breaker().apply(breaker);
            exercise(b);
            effective.put("value", QUOTAS.containsKey(setting)
                    ? QUOTAS.get(setting).apply(QUOTA_BASE.with(state.quotas()))
                    : FAIRNESS.containsKey(setting) ? FAIRNESS.get(setting).apply(state.fairness(FAIRNESS_BASE))
                    : EFFECTIVE.get(setting).apply(r, b));
        }).as("%s=%s over %s and %s", setting, value, routing, breaker).doesNotThrowAnyException();
        assertThat(effective.get("value")).as("%s=%s over %s and %s", setting, value, routing, breaker)
                .isEqualTo(value);
    }

    /** Uses the policy the way a breaker board does, where a bad bound would overflow or throw. */
    private static void exercise(BreakerPolicy policy) {
        for (int trips = 1; trips <= 30; trips++) {
            assertThat(policy.openMillis(trips)).isBetween(BreakerPolicy.MIN_OPEN_MS, BreakerPolicy.MAX_OPEN_MS);
        }
        Breaker b = Breaker.closed("w");
        long now = 1_800_000_000_000L;
        for (int i = 0; i < policy.minimumCalls(); i++) {
            b = b.record(true, now, policy, true);
        }
        assertThat(b.state()).as("only failures trip it").isEqualTo(io.kdispatch.dispatcher.breaker.BreakerState.OPEN);
        b = b.tick(now + policy.openMillis(1)).sent();
        assertThat(b.record(false, now, policy, true)).isNotNull();
    }

    private static Object patterned(ControlState state, ControlPattern<?> pattern, String name) {
        if (pattern == Settings.WORKER_STATE) {
            return state.worker(name);
        }
        if (pattern == Settings.QUOTA_TENANT || pattern == Settings.QUOTA_TYPE) {
            Scope scope = pattern == Settings.QUOTA_TENANT ? Scope.TENANT : Scope.TYPE;
            return state.quotas().limits().get(scope).get(name);
        }
        if (pattern == Settings.RATE_TENANT || pattern == Settings.RATE_TYPE) {
            Scope scope = pattern == Settings.RATE_TENANT ? Scope.TENANT : Scope.TYPE;
            return state.quotas().rates().get(scope).get(name);
        }
        if (pattern == Settings.FAIR_WEIGHT) {
            return state.fairness(FAIRNESS_BASE).weight(name);
        }
        return pattern == Settings.TASK_TYPE_PAUSED ? state.paused(name) : state.flag(name);
    }

    @SuppressWarnings("unchecked")
    private static <T> String canonical(Setting<T> setting, Object value) {
        return setting.format((T) value);
    }

    @SuppressWarnings("unchecked")
    private static <T> String canonical(SettingType<T> type, Object value) {
        return type.format((T) value);
    }

    private static String below(SettingType.Numeric<?> n) {
        return n.min() instanceof Double d ? String.valueOf(Math.nextDown(d)) : String.valueOf(n.min().longValue() - 1);
    }

    private static String above(SettingType.Numeric<?> n) {
        return n.max() instanceof Double d ? String.valueOf(Math.nextUp(d)) : String.valueOf(n.max().longValue() + 1);
    }
}
