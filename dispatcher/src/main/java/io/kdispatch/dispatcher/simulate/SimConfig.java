package io.kdispatch.dispatcher.simulate;

import io.kdispatch.dispatcher.config.DispatcherConfigParser;
import io.kdispatch.dispatcher.config.Setting;
import io.kdispatch.dispatcher.config.Settings;
import io.kdispatch.dispatcher.topology.TopologySettings;
import java.util.Map;
import java.util.TreeMap;

/**
 * One configuration of a simulation: a label and the dispatcher settings it sets over the scenario's own
 * (keys from the settings catalogue; {@code strategy} is short for {@code routing.strategy}, and any
 * {@code routing.} key may drop its prefix). Turned into the topology's settings by the dispatcher's own
 * configuration parser, so a value {@code run} would refuse is refused here with the same message.
 *
 * @param label the name shown in reports, e.g. {@code least-loaded}
 * @param settings canonical setting keys to values, sorted
 */
public record SimConfig(String label, Map<String, String> settings) {
    public SimConfig {
        settings = new TreeMap<>(settings);
    }

    /** A configuration with {@code settings} (keys may be short forms). */
    public static SimConfig of(String label, Map<String, String> settings) {
        Map<String, String> canonical = new TreeMap<>();
        settings.forEach((k, v) -> canonical.put(canonicalKey(k), v));
        return new SimConfig(label, canonical);
    }

    /** The catalogue key for {@code key} or its short form. */
    public static String canonicalKey(String key) {
        String k = key.trim();
        if (Settings.byKey(k) == null && Settings.byKey("routing." + k) != null) {
            k = "routing." + k;
        }
        if (Settings.byKey(k) != null && simulated(k)) {
            return k;
        }
        throw new IllegalArgumentException((Settings.byKey(k) == null ? "unknown setting '" : "setting '") + key
                + (Settings.byKey(k) == null ? "'" : "' means nothing in a simulation") + "; simulate accepts the dispatcher's settings: "
                + String.join(", ", Settings.ALL.stream().map(Setting::key).filter(SimConfig::simulated).toList()));
    }

    /** The settings {@code scenario} starts with, overridden by this configuration's, as the topology takes them. */
    TopologySettings topology(Scenario scenario) {
        Map<String, String> props = new TreeMap<>();
        props.put(Settings.BOOTSTRAP_SERVERS.key(), "simulation:9092");
        props.put(Settings.REGISTRY_URL.key(), "mock://simulation");
        scenario.dispatcher().forEach((k, v) -> props.put(canonicalKey(k), v));
        props.putAll(settings);
        props.put(Settings.DECISIONS_ENABLED.key(), "false"); // explanations would cost time and go nowhere
        try {
            return DispatcherConfigParser.parse(props).topologySettings();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("configuration " + label + ": " + e.getMessage(), e);
        }
    }

    private static boolean simulated(String key) {
        return key.startsWith("routing.") || key.startsWith("breaker.") || key.startsWith("liveness.")
                || key.startsWith("retry.") || key.equals("poison.max.losses") || key.equals("lease.duration.ms")
                || key.equals("tick.interval.ms") || key.equals("topic.partitions");
    }
}
