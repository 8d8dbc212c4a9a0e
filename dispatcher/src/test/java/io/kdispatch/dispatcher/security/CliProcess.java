package io.kdispatch.dispatcher.security;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One CLI command ({@code dispatcher.jar <command> ...}) in its own JVM, as an operator runs it, with
 * stdout and stderr in files. {@link #close()} sends SIGTERM (a graceful stop), waits, and kills the
 * process if it is still there after 60 s, so no process outlives the test.
 */
public final class CliProcess implements AutoCloseable {
    private final Process process;
    private final Path stdout;
    private final Path stderr;

    private CliProcess(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Starts {@code Main} with {@code args}, naming its output files after {@code name} in {@code dir}. */
    public static CliProcess start(Path dir, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), "io.kdispatch.dispatcher.cli.Main"));
        command.addAll(args);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        return new CliProcess(process, out, err);
    }

    /** Waits until stdout or stderr has a match of {@code regex} and returns its first group (or the match). */
    public String awaitOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        String[] found = new String[1];
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (!process.isAlive()) {
                    throw new AssertionError("process exited with " + process.exitValue() + " before printing /"
                            + regex + "/:\n" + output());
                }
                Matcher m = pattern.matcher(output());
                if (m.find()) {
                    found[0] = m.groupCount() > 0 ? m.group(1) : m.group();
                }
                return found[0] != null;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no /" + regex + "/ within " + timeout + "; the process printed:\n" + output(), e);
        }
        return found[0];
    }

    /** Everything the process printed so far, stdout then stderr. */
    public String output() {
        try {
            return Files.readString(stdout) + Files.readString(stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A check whose failure is easier to read next to what the processes printed. */
    public interface Check {
        void run() throws Exception;
    }

    /** Runs {@code check}; if it fails, the failure carries each process's output. */
    public static void explainFailure(Check check, CliProcess... processes) throws Exception {
        try {
            check.run();
        } catch (AssertionError | ConditionTimeoutException e) {
            StringBuilder outputs = new StringBuilder(String.valueOf(e.getMessage()));
            for (CliProcess p : processes) {
                outputs.append("\n--- ").append(p.stdout.getFileName()).append(" and .err ---\n").append(p.output());
            }
            throw new AssertionError(outputs.toString(), e);
        }
    }

    /** SIGKILL, as a crash: nothing is closed, the open transaction stays open, the group is not left. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, then up to 60 s for a graceful stop; true if it stopped by itself. */
    public boolean stop() throws InterruptedException {
        process.destroy();
        if (process.waitFor(60, TimeUnit.SECONDS)) {
            return true;
        }
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        return false;
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            stop();
        }
    }
}
