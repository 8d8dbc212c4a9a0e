package io.kdispatch.benchmarks.e2e;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Profiles child processes during a measured window only, with async-profiler attached through the
 * JDK's Attach API (what async-profiler's own {@code asprof} does): CPU time by {@code itimer} (which
 * works where perf events are not permitted), Java and native frames (RocksDB, the JIT, GC threads),
 * per thread, written as collapsed stacks that {@link io.kdispatch.benchmarks.profile.ProfileSummary}
 * reads.
 *
 * <p>Hand-written because the agent must start after the warm-up and stop with the window, which the
 * {@code -agentpath} options cannot express; the library is async-profiler's own, from Maven Central.
 */
final class WindowProfiler {
    /** The JVM options a profiled child needs so that inlined frames are attributed correctly. */
    static final List<String> CHILD_JVM_ARGS = List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints");
    private static final String LIBRARY = "linux-x64/libasyncProfiler.so";

    private final Path library;
    private final Path runDir;

    private WindowProfiler(Path library, Path runDir) {
        this.library = library;
        this.runDir = runDir;
    }

    /** Unpacks the profiler library from the classpath into {@code runDir}. */
    static WindowProfiler unpack(Path runDir) {
        Path target = runDir.resolve("libasyncProfiler.so");
        try (InputStream in = WindowProfiler.class.getClassLoader().getResourceAsStream(LIBRARY)) {
            if (in == null) {
                throw new IllegalStateException(LIBRARY + " is not on the classpath (tools.profiler:async-profiler)");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + LIBRARY, e);
        }
        return new WindowProfiler(target, runDir);
    }

    /** Starts sampling {@code processes} (their window begins). */
    void start(List<ChildJvm> processes) {
        for (ChildJvm p : processes) {
            command(p, "start,event=itimer,interval=5ms,threads");
        }
    }

    /**
     * Stops sampling and writes one collapsed-stack file per process.
     *
     * @return the files written
     */
    List<Path> stop(List<ChildJvm> processes) {
        return processes.stream().map(p -> {
            Path file = runDir.resolve(p.name() + ".collapsed.txt");
            command(p, "stop,collapsed,file=" + file);
            return file;
        }).toList();
    }

    private void command(ChildJvm process, String options) {
        try {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(process.pid()));
            try {
                vm.loadAgentPath(library.toString(), options);
            } finally {
                vm.detach();
            }
        } catch (Exception e) {
            throw new IllegalStateException("async-profiler '" + options + "' on " + process.name() + " failed", e);
        }
    }
}
