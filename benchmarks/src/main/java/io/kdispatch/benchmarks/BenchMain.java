package io.kdispatch.benchmarks;

import io.kdispatch.benchmarks.e2e.E2eCommand;
import io.kdispatch.benchmarks.profile.ProfileSummary;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code java -jar benchmarks.jar e2e|jmh|profile-summary ...}: the end-to-end harness, JMH (its own
 * command line, passed through), and the summary of an async-profiler collapsed-stack file.
 */
@Command(name = "benchmarks", mixinStandardHelpOptions = true, subcommands = E2eCommand.class,
        description = {"kdispatch benchmarks.", "",
                "  e2e              the end-to-end harness (see e2e --help)",
                "  jmh [JMH args]   the JMH benchmarks, e.g. jmh -prof gc RouterBenchmark",
                "  profile-summary FILE...  where the CPU went, from async-profiler collapsed stacks"})
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "log4j2-bench.xml"); // before the first logger
        }
        if (args.length > 0 && args[0].equals("jmh")) {
            org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("profile-summary")) {
            ProfileSummary.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
