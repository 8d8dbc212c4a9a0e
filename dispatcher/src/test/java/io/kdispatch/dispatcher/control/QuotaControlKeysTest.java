package io.kdispatch.dispatcher.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdispatch.dispatcher.quota.QuotaLimits;
import io.kdispatch.dispatcher.quota.Rate;
import io.kdispatch.dispatcher.quota.Scope;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The quota and rate keys of the control topic: validated, normalized, and applied over the configuration. */
class QuotaControlKeysTest {
    @Test
    void valuesAreNormalized() {
        assertThat(ControlKeys.normalize("quota.tenant.acme", " 200 ")).isEqualTo("200");
        assertThat(ControlKeys.normalize("rate.type.resize", "20")).isEqualTo("20:20");
        assertThat(ControlKeys.normalize("rate.tenant.acme", "2.5:10")).isEqualTo("2.5:10");
        assertThat(ControlKeys.normalize("rate.key.default", "NONE")).isEqualTo("none");
        assertThat(ControlKeys.normalize("quota.key.default", "3")).isEqualTo("3");
    }

    @Test
    void badValuesAndNamesAreRefusedWithTheRule() {
        assertThatThrownBy(() -> ControlKeys.normalize("quota.tenant.acme", "lots"))
                .hasMessage("invalid value 'lots' for quota.tenant.acme: expected a whole number");
        assertThatThrownBy(() -> ControlKeys.normalize("quota.type.x", "1000001"))
                .hasMessageContaining("must be between 0 and 1000000, was 1000001");
        assertThatThrownBy(() -> ControlKeys.normalize("rate.type.x", "fast"))
                .hasMessageContaining("such as 20 or 20:50");
        assertThatThrownBy(() -> ControlKeys.normalize("quota.tenant.a\nb", "1"))
                .isInstanceOf(ControlKeys.InvalidKeyException.class).hasMessageContaining("no control characters");
        assertThatThrownBy(() -> ControlKeys.normalize("quota.tenant. ", "1"))
                .isInstanceOf(ControlKeys.InvalidKeyException.class);
    }

    @Test
    void theStateOverridesTheConfigurationKeyByKey() {
        QuotaLimits base = new QuotaLimits(Map.of("resize", 4), Map.of("acme", 10), 0, Map.of(), Map.of(), null);
        ControlState state = ControlState.of(Map.of("quota.tenant.acme", "20", "quota.type.resize", "0",
                "rate.tenant.bravo", "5:5", "quota.key.default", "2", "quota.tenant.bad", "-1"));
        QuotaLimits q = base.with(state.quotas());
        assertThat(q.limit(Scope.TENANT, "acme")).isEqualTo(20);
        assertThat(q.limit(Scope.TYPE, "resize")).as("0 lifts it").isZero();
        assertThat(q.rate(Scope.TENANT, "bravo")).isEqualTo(new Rate(5, 5));
        assertThat(q.limit(Scope.KEY, "k")).isEqualTo(2);
        assertThat(state.invalid()).containsOnlyKeys("quota.tenant.bad");
        assertThat(base.with(ControlState.EMPTY.quotas())).isSameAs(base);
    }
}
