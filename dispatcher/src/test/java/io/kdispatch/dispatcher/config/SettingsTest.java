package io.kdispatch.dispatcher.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The catalogue is complete, and the ConfigDef derived from it accepts exactly what each setting accepts. */
class SettingsTest {
    private static final Map<String, String> REQUIRED = Map.of(Settings.BOOTSTRAP_SERVERS.key(), "k:9092",
            Settings.REGISTRY_URL.key(), "mock://settings");

    @Test
    void everySettingConstantIsListedOnceAndEveryPatternToo() throws IllegalAccessException {
        List<Object> settings = new ArrayList<>();
        List<Object> patterns = new ArrayList<>();
        for (Field f : Settings.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == Setting.class) {
                settings.add(f.get(null));
            } else if (Modifier.isStatic(f.getModifiers()) && f.getType() == ControlPattern.class) {
                patterns.add(f.get(null));
            }
        }
        assertThat(Settings.ALL).as("Settings.ALL lists every Setting constant").containsExactlyInAnyOrderElementsOf(
                settings.stream().map(s -> (Setting<?>) s).toList());
        assertThat(Settings.ALL).extracting(Setting::key).doesNotHaveDuplicates();
        assertThat(Settings.PATTERNS).containsExactlyInAnyOrderElementsOf(
                patterns.stream().map(p -> (ControlPattern<?>) p).toList());
        assertThat(Settings.configDef().names()).containsExactlyInAnyOrderElementsOf(
                Settings.ALL.stream().map(Setting::key).toList());
    }

    @Test
    void theConfigDefDefaultsAreTheCatalogueDefaults() {
        AbstractConfig c = new AbstractConfig(Settings.configDef(), REQUIRED, false);
        for (Setting<?> s : Settings.ALL) {
            if (!s.required()) {
                assertThat((Object) s.from(c)).as(s.key()).isEqualTo(s.defaultValue());
            }
        }
    }

    @Test
    void everySampleRoundTripsThroughTextAndTheConfigDef() {
        for (Setting<?> s : Settings.ALL) {
            for (Object sample : s.type().samples()) {
                String text = format(s, sample);
                assertThat((Object) s.parse(text)).as("%s=%s", s, text).isEqualTo(sample);
                Map<String, String> props = new HashMap<>(REQUIRED);
                props.put(s.key(), text);
                assertThat((Object) s.from(new AbstractConfig(Settings.configDef(), props, false)))
                        .as("%s=%s", s, text).isEqualTo(sample);
            }
        }
    }

    @Test
    void theConfigDefRefusesANumberJustOutsideItsRangeWithTheCatalogueMessage() {
        for (Setting<?> s : Settings.ALL) {
            if (s.type() instanceof SettingType.Numeric<?> n && n.special() == null) {
                String above = n.max() instanceof Double d ? String.valueOf(Math.nextUp(d))
                        : String.valueOf(n.max().longValue() + 1);
                Map<String, String> props = new HashMap<>(REQUIRED);
                props.put(s.key(), above);
                assertThatThrownBy(() -> new AbstractConfig(Settings.configDef(), props, false))
                        .as(s.key()).isInstanceOf(ConfigException.class)
                        .hasMessageContaining("for configuration " + s.key() + ": must be between " + n.min());
            }
        }
    }

    @Test
    void controlKeyShapesListRunTimeKeysThenPatterns() {
        assertThat(Settings.controlKeyShapes()).startsWith("routing.strategy")
                .endsWith("worker.<id>.state", "tasktype.<type>.paused", "flag.<name>", "quota.tenant.<tenant>",
                        "quota.type.<type>", "rate.tenant.<tenant>", "rate.type.<type>", "fair.weight.<tenant>")
                .doesNotContain("breaker.window.size", "bootstrap.servers");
    }

    @SuppressWarnings("unchecked")
    private static <T> String format(Setting<T> s, Object value) {
        return s.format((T) value);
    }
}
