package io.kdispatch.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RoutingConfigTest {

    @Test
    void defaultsAreDocumented() {
        RoutingConfig config = RoutingConfig.defaults();
        assertThat(config.strategy()).isEqualTo(Strategy.CONSISTENT_HASH);
        assertThat(config.abStrategy()).isNull();
        assertThat(config.abPercent()).isZero();
        assertThat(config.boundedLoadFactor()).isEqualTo(1.25);
        assertThat(config.prefetch()).isEqualTo(2);
    }

    @Test
    void invalidSettingsAreRejectedWithActionableMessages() {
        assertThatThrownBy(() -> RoutingConfig.defaults().withBoundedLoadFactor(0.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("boundedLoadFactor must be between 1.0 and 10.0, was 0.5");
        assertThatThrownBy(() -> RoutingConfig.defaults().withBoundedLoadFactor(Double.NaN))
                .hasMessage("boundedLoadFactor must be between 1.0 and 10.0, was NaN");
        assertThatThrownBy(() -> RoutingConfig.defaults().withBoundedLoadFactor(10.5))
                .hasMessage("boundedLoadFactor must be between 1.0 and 10.0, was 10.5");
        assertThatThrownBy(() -> RoutingConfig.defaults().withAbSplit(Strategy.WEIGHTED, 101))
                .hasMessage("abPercent must be between 0 and 100, was 101");
        assertThatThrownBy(() -> RoutingConfig.defaults().withPrefetch(-1))
                .hasMessage("prefetch must be between 0 and 10000, was -1");
        assertThatThrownBy(() -> RoutingConfig.defaults().withStrategy(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("strategy must be set, one of: consistent-hash, least-loaded, weighted, predictive, auto");
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        RoutingConfig edge = new RoutingConfig(Strategy.AUTO, Strategy.PREDICTIVE, 100, 10.0, 10_000);
        assertThat(edge.withBoundedLoadFactor(1.0).boundedLoadFactor()).isEqualTo(1.0);
        assertThat(edge.withPrefetch(0).withAbSplit(null, 40).abPercent()).as("kept while no B strategy").isEqualTo(40);
    }

    @Test
    void strategiesParseFromTheirLabels() {
        for (Strategy strategy : Strategy.values()) {
            assertThat(Strategy.parse(strategy.label())).isEqualTo(strategy);
            assertThat(Strategy.parse(strategy.name())).isEqualTo(strategy);
        }
        assertThat(Strategy.parse(" Least-Loaded ")).isEqualTo(Strategy.LEAST_LOADED);
        assertThat(Strategy.LEAST_LOADED.label()).isEqualTo("least-loaded");
        assertThatThrownBy(() -> Strategy.parse("fastest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown routing strategy 'fastest'; valid: consistent-hash, least-loaded, weighted, "
                        + "predictive, auto");
        assertThatThrownBy(() -> Strategy.parse(null)).hasMessageContaining("unknown routing strategy 'null'");
    }
}
