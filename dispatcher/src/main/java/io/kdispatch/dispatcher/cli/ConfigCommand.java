package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.config.Settings;
import io.kdispatch.dispatcher.control.ControlClient;
import io.kdispatch.dispatcher.control.ControlKeys;
import io.kdispatch.dispatcher.control.ControlState;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads and writes run-time settings on the control topic; every running dispatcher applies them. */
@Command(name = "config", mixinStandardHelpOptions = true,
        description = "Read or change run-time settings (routing strategy, A/B split, breaker thresholds, prefetch, "
                + "cordon/drain, paused task types, flags) without restarting the dispatchers.",
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class})
final class ConfigCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: missing subcommand: get or set (see 'dispatcher config --help')");
        return CommandLine.ExitCode.USAGE;
    }

    /** Adds the catalogue's run-time keys and their values to the help of {@code config set}. */
    static void describeKeys(CommandLine config) {
        List<String> lines = new ArrayList<>(List.of(config.getSubcommands().get("set").getCommandSpec()
                .usageMessage().description()));
        Settings.runtime().forEach(s -> lines.add("  " + s.key() + ": " + s.type().accepted().replace("`", "")));
        Settings.PATTERNS.forEach(p -> lines.add("  " + p.shape() + ": " + p.type().accepted().replace("`", "")));
        config.getSubcommands().get("set").getCommandSpec().usageMessage().description(lines.toArray(String[]::new));
    }

    /** Prints settings as {@code key=value} lines. */
    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print the current run-time settings as key=value lines (all of them, or the KEYs given; "
                    + "an unset KEY prints as KEY= ).")
    static final class Get implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(paramLabel = "KEY", arity = "0..*", description = "Settings to print (default: every one set).")
        List<String> keys = new ArrayList<>();

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            keys.forEach(k -> ControlKeys.normalize(k, null));
            Map<String, String> raw;
            try (ControlClient client = new ControlClient(cluster.bootstrapServers, cluster.serdes(), cluster.topics())) {
                raw = client.settings();
            }
            ControlState state = ControlState.of(raw);
            PrintWriter out = spec.commandLine().getOut();
            Map<String, String> settings = state.settings();
            if (keys.isEmpty()) {
                settings.forEach((k, v) -> out.println(k + "=" + v));
            } else {
                keys.forEach(k -> out.println(k + "=" + settings.getOrDefault(k, "")));
            }
            out.flush();
            state.invalid().forEach((k, why) -> spec.commandLine().getErr().println("warning: ignored by the "
                    + "dispatchers: " + why));
            return 0;
        }
    }

    /** Validates every pair first, then writes them in order. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Change run-time settings. Every KEY=VALUE is validated before anything is written; an "
                    + "invalid one exits with status 2 and writes nothing. An empty VALUE (KEY=) returns the setting "
                    + "to the dispatcher's configured value. The keys and their values are listed below (and in the "
                    + "README's run-time control table).")
    static final class Set implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster;

        @Parameters(paramLabel = "KEY=VALUE", arity = "1..*")
        List<String> pairs;

        @Option(names = "--by", paramLabel = "NAME", defaultValue = "${sys:user.name}",
                description = "Who is asking, for the dispatchers' change log (default: ${DEFAULT-VALUE}).")
        String by;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, String> settings = new LinkedHashMap<>();
            for (String pair : pairs) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("expected KEY=VALUE, got '" + pair + "'");
                }
                String key = pair.substring(0, eq).trim();
                String value = pair.substring(eq + 1).isBlank() ? null : pair.substring(eq + 1);
                settings.put(key, ControlKeys.normalize(key, value));
            }
            PrintWriter out = spec.commandLine().getOut();
            try (ControlClient client = new ControlClient(cluster.bootstrapServers, cluster.serdes(), cluster.topics())) {
                settings.forEach((key, value) -> {
                    client.set(key, value, by);
                    out.println(key + "=" + (value == null ? "" : value));
                });
            }
            out.flush();
            return 0;
        }
    }
}
