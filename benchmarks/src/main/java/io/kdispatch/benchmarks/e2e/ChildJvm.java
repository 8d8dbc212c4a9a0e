package io.kdispatch.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Java process started from this JVM's own classpath (the benchmarks jar, or the test classpath in
 * the smoke test), so that its CPU time and heap are its own and can be read from the outside.
 *
 * <p>Its stdout and stderr go to {@code <name>.log} and its GC log to {@code <name>.gc.log} in the run
 * directory. {@link #close()} sends SIGTERM, waits up to {@link #STOP_TIMEOUT}, then kills it.
 */
final class ChildJvm implements AutoCloseable {
    /** How long a child gets to stop after SIGTERM before it is killed. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Path log;
    private final Path gcLog;

    private ChildJvm(String name, Process process, Path log, Path gcLog) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.gcLog = gcLog;
    }

    /**
     * Starts {@code mainClass} with {@code args}.
     *
     * @param jvmArgs extra JVM options, e.g. a profiler agent
     */
    static ChildJvm start(String name, Path runDir, List<String> jvmArgs, String mainClass, List<String> args) {
        Path log = runDir.resolve(name + ".log");
        Path gcLog = runDir.resolve(name + ".gc.log");
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xlog:gc:file=" + gcLog);
        command.add("-Djava.io.tmpdir=" + runDir);
        command.addAll(jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new ChildJvm(name, process, log, gcLog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name + ": " + command, e);
        }
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    /** Waits until its log holds {@code line}, for processes that announce readiness there. */
    void awaitLog(String line, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logContains(line)) {
            requireAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not log '" + line + "' within " + timeout
                        + "; log " + log + ":\n" + tail());
            }
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
    }

    private boolean logContains(String line) {
        try {
            return Files.isRegularFile(log) && Files.readString(log).contains(line);
        } catch (IOException e) {
            return false;
        }
    }

    /** CPU time (user + system) the process has used so far; zero once it has exited. */
    Duration cpu() {
        return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Fails with the tail of its log when the process has exited. */
    void requireAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with status " + process.exitValue() + "; log "
                    + log + ":\n" + tail());
        }
    }

    Path gcLogPath() {
        return gcLog;
    }

    /** Heap figures from its GC log; read after {@link #close()} for the whole run. */
    GcLog.Summary gc() {
        return GcLog.read(gcLog);
    }

    /**
     * The live heap now, in MB: asks the process for a full collection ({@code jcmd <pid> GC.run}) and reads
     * what it left from the GC log. Young collections leave old garbage in place, so the peaks of {@link #gc()}
     * overstate the live set of a process whose old generation is large.
     */
    long liveHeapMb() {
        int before = GcLog.systemCollections(gcLog).size();
        Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
        try {
            Process run = new ProcessBuilder(jcmd.toString(), String.valueOf(pid()), "GC.run")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!run.waitFor(60, TimeUnit.SECONDS) || run.exitValue() != 0) {
                run.destroyForcibly();
                throw new IllegalStateException("jcmd GC.run failed for " + name);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (GcLog.systemCollections(gcLog).size() <= before) { // the log is written asynchronously
                requireAlive();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " logged no System.gc() collection after jcmd GC.run");
                }
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
            List<Long> after = GcLog.systemCollections(gcLog);
            return after.get(after.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + jcmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring the live heap of " + name, e);
        }
    }

    /** The last lines of its log, for error messages. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy(); // SIGTERM: the child's shutdown hook closes its clients
        try {
            if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
