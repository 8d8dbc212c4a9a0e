package io.kdispatch.dispatcher.ops;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Prometheus tools ({@code promtool}, {@code prometheus}) as child processes of a test. They are not
 * Maven artifacts, so a test that needs one finds it on the {@code PATH} and is skipped, with the reason,
 * where it is missing; {@code .ci/run} installs them so that CI always runs those tests.
 */
public final class ExternalTool {
    /** What a skipped test tells the reader to do. */
    static final String INSTALL_HINT = "install the Debian package 'prometheus' (apt-get install prometheus;"
            + " .ci/run installs it when missing)";

    private ExternalTool() {
    }

    /** The executable file {@code name} in a directory of the {@code PATH}, if there is one. */
    public static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** The executable {@code name}; skips the calling test (a JUnit assumption) when it is not on the PATH. */
    public static Path require(String name) {
        Optional<Path> tool = onPath(name);
        assumeTrue(tool.isPresent(), () -> name + " is not on the PATH, so this test cannot run: " + INSTALL_HINT);
        return tool.get();
    }

    /** How a finished child process ended: its exit status and its stdout and stderr, interleaved. */
    public record Outcome(int exitCode, String output) {
    }

    /**
     * Runs {@code tool args...} in {@code dir} to completion and returns how it ended. The output goes to a
     * temporary file rather than a pipe, so no reader thread is needed and a chatty tool cannot block on a
     * full pipe; a tool still running after {@code timeout} is killed and reported as an error.
     */
    public static Outcome run(Path dir, Duration timeout, Path tool, List<String> args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(tool.toString());
        command.addAll(args);
        Path log = Files.createTempFile("kdispatch-tool", ".log");
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " still running after " + timeout
                        + ", killed; output so far:\n" + Files.readString(log));
            }
            return new Outcome(process.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
