package io.kdispatch.dispatcher.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single entry point: {@code java -jar dispatcher.jar <command> ...}. */
@Command(name = "dispatcher", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Kafka task dispatcher: routes tasks from an intake topic to per-worker topics.",
        subcommands = {DemoCommand.class, DevClusterCommand.class, RunCommand.class, WorkerCommand.class,
                SubmitCommand.class, TailCommand.class, TopicsCommand.class, ExplainCommand.class, LagCommand.class,
                ReplayCommand.class, ConfigCommand.class, WorkersCommand.class,
                AclsCommand.class, SimulateCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        int status = execute(args);
        ShutdownSignal.exiting(status); // a stop signal's hook exits with this status (see ShutdownSignal)
        System.exit(status);
    }

    /** Runs a command line and returns its exit status (0 ok, 1 failure, 2 usage error). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line; tests use it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new Main());
        ConfigCommand.describeKeys(cmd.getSubcommands().get("config"));
        cmd.setCaseInsensitiveEnumValuesAllowed(true);
        cmd.registerConverter(java.time.Duration.class, new DurationConverter());
        // A wrong flag gets one line, not the whole usage text: scripts read the first line.
        cmd.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("error: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            err.println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            err.flush();
            return ex instanceof IllegalArgumentException ? CommandLine.ExitCode.USAGE : CommandLine.ExitCode.SOFTWARE;
        });
        return cmd;
    }
}
