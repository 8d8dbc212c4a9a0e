package io.kdispatch.dispatcher.simulate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A scenario run under one or more configurations with one seed, and the verdict on how each differs from
 * the first (the baseline). Every configuration sees the same arrivals, and each attempt the same service
 * time and fate, so the differences are the configurations'.
 *
 * @param scenario the scenario
 * @param seed the seed
 * @param results one per configuration, in the order given; the first is the baseline
 */
public record Comparison(Scenario scenario, long seed, List<SimResult> results) {
    public Comparison {
        results = List.copyOf(results);
    }

    /** Runs {@code scenario} under each of {@code configs}, one after the other. */
    public static Comparison run(Scenario scenario, List<SimConfig> configs, long seed) {
        List<SimResult> results = new ArrayList<>();
        for (SimConfig c : configs) {
            results.add(Simulation.run(scenario, c, seed));
        }
        return new Comparison(scenario, seed, results);
    }

    /**
     * The configurations of {@code --compare k=v1,v2 ...} arguments: every combination of the values given,
     * the first value of each key first (the baseline). No argument gives one configuration, the scenario's
     * own. A label names the values of the keys that vary ({@code least-loaded}), or every setting when none
     * varies.
     *
     * @throws IllegalArgumentException for an argument that is not {@code key=value[,value...]} or a key
     *     that is no dispatcher setting
     */
    public static List<SimConfig> configs(List<String> compare) {
        Map<String, List<String>> axes = new LinkedHashMap<>();
        for (String arg : compare) {
            int eq = arg.indexOf('=');
            if (eq <= 0 || eq == arg.length() - 1) {
                throw new IllegalArgumentException("--compare takes key=value[,value...], e.g. "
                        + "strategy=consistent-hash,least-loaded; was '" + arg + "'");
            }
            String key = SimConfig.canonicalKey(arg.substring(0, eq));
            List<String> values = List.of(arg.substring(eq + 1).split(","));
            if (axes.put(key, values.stream().map(String::trim).toList()) != null) {
                throw new IllegalArgumentException("--compare names " + key + " twice; list its values once, "
                        + "comma-separated");
            }
        }
        List<Map<String, String>> combos = new ArrayList<>(List.of(new LinkedHashMap<>()));
        for (Map.Entry<String, List<String>> axis : axes.entrySet()) {
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> combo : combos) {
                for (String v : axis.getValue()) {
                    Map<String, String> c = new LinkedHashMap<>(combo);
                    c.put(axis.getKey(), v);
                    next.add(c);
                }
            }
            combos = next;
        }
        List<SimConfig> out = new ArrayList<>();
        for (Map<String, String> combo : combos) {
            out.add(new SimConfig(label(combo, axes), combo));
        }
        return out;
    }

    private static String label(Map<String, String> combo, Map<String, List<String>> axes) {
        List<String> varying = new ArrayList<>();
        List<String> all = new ArrayList<>();
        combo.forEach((k, v) -> {
            String shortKey = k.startsWith("routing.") ? k.substring("routing.".length()) : k;
            all.add(shortKey + "=" + v);
            if (axes.get(k).size() > 1) {
                varying.add(shortKey.equals("strategy") ? v : shortKey + "=" + v);
            }
        });
        if (all.isEmpty()) {
            return "scenario settings";
        }
        return String.join(" ", varying.isEmpty() ? all : varying);
    }
}
