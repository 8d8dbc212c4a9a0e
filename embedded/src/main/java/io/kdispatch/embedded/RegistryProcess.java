package io.kdispatch.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

/**
 * The registry child process: how it is launched, how readiness is detected, how it is stopped.
 * Its standard output and error go to one log file, so no thread of ours pumps them.
 */
final class RegistryProcess {

    private static final int TAIL_LINES = 40;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int PROBE_TIMEOUT_MS = 2_000;

    private final Process process;
    private final Path logFile;

    private RegistryProcess(Process process, Path logFile) {
        this.process = process;
        this.logFile = logFile;
    }

    /**
     * Launches {@code java -jar runnerJar} with the current JVM's java binary, in {@code workDir}; its output
     * is appended to {@code workDir/registry.log} (a relaunch keeps the earlier run's lines).
     */
    static RegistryProcess launch(Path runnerJar, int port, Path dataDir, Path workDir) {
        Path logFile = workDir.resolve("registry.log");
        Path tmp = Directories.ensure(workDir.resolve("tmp"));
        // C1 only: the registry answers in about 3 s instead of 5 to 6 s; tests never need C2's peak speed.
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmp,
                "-Dquarkus.http.host=" + FreePorts.LOOPBACK, "-Dquarkus.http.port=" + port,
                // The default pool opens 20 connections up front; a test registry needs few.
                "-Dquarkus.datasource.jdbc.initial-size=2", "-Dquarkus.datasource.jdbc.min-size=2"));
        if (dataDir != null) {
            command.add("-Dquarkus.datasource.jdbc.url=jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("registry")
                    + ";DB_CLOSE_ON_EXIT=FALSE");
        }
        command.addAll(List.of("-jar", runnerJar.toString()));
        try {
            Process process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
            return new RegistryProcess(process, logFile);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not launch " + String.join(" ", command), e);
        }
    }

    Process process() {
        return process;
    }

    Path logFile() {
        return logFile;
    }

    /**
     * Polls {@code readinessUrl} until it answers HTTP 200.
     *
     * @throws IllegalStateException if the process exits or {@code timeout} passes first; the
     *                               message ends with the last lines of the registry's output
     */
    void awaitReady(URI readinessUrl, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!answersOk(readinessUrl)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apicurio Registry exited with code " + process.exitValue()
                        + " before it was ready. " + tail());
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Apicurio Registry did not answer " + readinessUrl + " within "
                        + timeout.toMillis() + " ms. " + tail());
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * Stops the process and its descendants: SIGTERM first (the registry shuts down in well under
     * a second), SIGKILL after {@code grace}, then waits for them to be gone.
     */
    void stop(Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        if (!waitFor(process.toHandle(), grace)) {
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        waitFor(process.toHandle(), grace);
        descendants.forEach(handle -> waitFor(handle, grace));
    }

    /** The last lines of the registry's output, with the path of the full log. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            List<String> last = lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
            return "Full log: " + logFile + "; last " + last.size() + " lines:\n" + String.join("\n", last);
        } catch (IOException | UncheckedIOException e) {
            return "Its log " + logFile + " could not be read: " + e;
        }
    }

    private static boolean answersOk(URI url) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(PROBE_TIMEOUT_MS);
            connection.setReadTimeout(PROBE_TIMEOUT_MS);
            int status = connection.getResponseCode();
            try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
                if (body != null) {
                    body.readAllBytes();
                }
            }
            return status == HttpURLConnection.HTTP_OK;
        } catch (IOException notUpYet) {
            return false;
        } finally {
            if (connection != null) {
                connection.disconnect(); // no keep-alive socket outlives the probe
            }
        }
    }

    private static boolean waitFor(ProcessHandle handle, Duration timeout) {
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !handle.isAlive();
        } catch (ExecutionException | TimeoutException e) {
            return !handle.isAlive();
        }
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command()
                .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
