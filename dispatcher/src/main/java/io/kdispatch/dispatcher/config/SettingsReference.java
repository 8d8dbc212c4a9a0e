package io.kdispatch.dispatcher.config;

import java.util.List;

/**
 * The README's settings tables, rendered from the catalogue ({@link Settings}) as Markdown, in the manner of
 * Kafka's {@code ConfigDef.toRst}. The README holds each table between {@code <!-- settings:NAME ... -->}
 * and {@code <!-- /settings:NAME -->}; {@code SettingsReadmeTest} fails, with a diff, when the text there
 * is not exactly what {@link #table} renders, so documentation and code cannot drift apart.
 */
public final class SettingsReference {
    /** The configuration reference: every start-up setting. */
    public static final String CONFIGURATION = "configuration";
    /** The run-time control keys. */
    public static final String RUN_TIME = "run-time";
    public static final List<String> TABLES = List.of(CONFIGURATION, RUN_TIME);

    private SettingsReference() {
    }

    /** The line that opens table {@code name} in the README. */
    public static String openingMarker(String name) {
        return "<!-- settings:" + name + " (generated from io.kdispatch.dispatcher.config.Settings; "
                + "SettingsReadmeTest checks it) -->";
    }

    /** The line that closes table {@code name} in the README. */
    public static String closingMarker(String name) {
        return "<!-- /settings:" + name + " -->";
    }

    /**
     * Table {@code name} as Markdown lines, each ending with a newline.
     *
     * @throws IllegalArgumentException for a name not in {@link #TABLES}
     */
    public static String table(String name) {
        return switch (name) {
            case CONFIGURATION -> configuration();
            case RUN_TIME -> runTime();
            default -> throw new IllegalArgumentException("no settings table '" + name + "'; tables: " + TABLES);
        };
    }

    private static String configuration() {
        StringBuilder sb = new StringBuilder("| key | default | accepted | run time | meaning |\n|---|---|---|---|---|\n");
        for (Setting<?> s : Settings.ALL) {
            row(sb, "`" + s.key() + "`", s.shownDefault(), s.type().accepted(), s.runtime() ? "yes" : "", s.doc());
        }
        for (ControlPattern<?> p : Settings.STARTUP_PATTERNS) {
            row(sb, "`" + p.shape() + "`", "none", p.type().accepted(), "yes", p.doc() + " `<" + p.placeholder()
                    + ">`: " + p.nameRule() + ".");
        }
        row(sb, "`" + Settings.STREAMS_PREFIX + "*`", "", "", "",
                "Passed to Kafka Streams without the prefix (e.g. `streams.commit.interval.ms`); the ones every "
                        + "Kafka client knows (`security.protocol`, `sasl.*`, `ssl.*`, timeouts) also reach the "
                        + "dispatcher's own admin, control-topic and lag-monitor clients.");
        return sb.toString();
    }

    private static String runTime() {
        StringBuilder sb = new StringBuilder("| key | values | meaning |\n|---|---|---|\n");
        for (Setting<?> s : Settings.runtime()) {
            row(sb, "`" + s.key() + "`", s.type().accepted(), s.doc());
        }
        for (ControlPattern<?> p : Settings.PATTERNS) {
            // Regular expressions in code spans, or Markdown would read their brackets and underscores.
            String rule = p.nameRule().replaceAll("\\[[^\\]]+\\]\\{\\d+,\\d+\\}", "`$0`");
            row(sb, "`" + p.shape() + "`", p.type().accepted(), p.doc() + " `<" + p.placeholder() + ">`: " + rule + ".");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String... cells) {
        sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
    }
}
