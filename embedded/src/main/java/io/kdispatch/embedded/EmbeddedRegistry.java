package io.kdispatch.embedded;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apicurio Registry (with its Confluent-compatible API) running as a child process of this
 * JVM, listening on 127.0.0.1 only.
 *
 * <p>The distribution is found as {@link RegistryDistribution} describes (build the embedded
 * module once with Maven to fetch it). The child runs with the current JVM's {@code java}, a
 * 256 MiB heap, and in-memory H2 storage unless {@link Options#dataDir()} names a directory for a
 * file database. Its output goes to {@link #logFile()}.
 *
 * <p>{@link #start(Options)} returns once {@code GET <url>/subjects} answers HTTP 200. A JVM
 * shutdown hook kills the child if the JVM exits without {@link #close()}.
 *
 * <p>Thread safety: all methods may be called from any thread; {@link #close()} is idempotent.
 */
public final class EmbeddedRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedRegistry.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final String CCOMPAT_PATH = "/apis/ccompat/v7";

    /** The running child; after {@link #stop()} the stopped one, until {@link #restart()}. Guarded by this. */
    private RegistryProcess child;
    private boolean stopped;
    private final String url;
    private final int port;
    private final Path runnerJar;
    private final Options options;
    private final Path workDir;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedRegistry(RegistryProcess child, Path runnerJar, int port, Options options, Path workDir) {
        this.child = child;
        this.runnerJar = runnerJar;
        this.port = port;
        this.options = options;
        this.url = "http://" + FreePorts.LOOPBACK + ":" + port + CCOMPAT_PATH;
        this.workDir = workDir;
        this.shutdownHook = new Thread(() -> {
            current().stop(STOP_GRACE);
            Directories.deleteQuietly(workDir);
        }, "kdispatch-registry-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a registry with {@link Options#defaults()}. */
    public static EmbeddedRegistry start() {
        return start(Options.defaults());
    }

    /**
     * Launches the registry and blocks until it serves the Confluent-compatible API (typically
     * 5 to 7 s).
     *
     * @throws IllegalStateException if the distribution is missing, or the registry exits or is
     *                               not ready within {@link Options#startTimeout()}; the message
     *                               holds the last lines of its output and its log is kept
     */
    public static EmbeddedRegistry start(Options options) {
        Objects.requireNonNull(options, "options must not be null (use Options.defaults())");
        long begin = System.nanoTime();
        RegistryDistribution distribution = RegistryDistribution.fromEnvironment();
        Path runnerJar = distribution.locateRunnerJar();
        if (options.dataDir() != null) {
            Directories.ensure(options.dataDir());
        }
        int port = FreePorts.orFree(options.port());
        Path workDir = Directories.createTemp("kdispatch-registry-");
        RegistryProcess child;
        try {
            child = RegistryProcess.launch(runnerJar, port, options.dataDir(), workDir);
        } catch (RuntimeException e) {
            Directories.deleteQuietly(workDir);
            throw e;
        }
        EmbeddedRegistry registry = new EmbeddedRegistry(child, runnerJar, port, options, workDir);
        try {
            child.awaitReady(URI.create(registry.url + "/subjects"), options.startTimeout());
        } catch (RuntimeException e) {
            registry.stop(false);
            throw e;
        }
        LOG.info("Apicurio Registry {} started at {} in {} ms (pid {}, log {})", distribution.version(),
                registry.url, millisSince(begin), child.process().pid(), registry.logFile());
        return registry;
    }

    /**
     * Stops the registry process (as {@link #close()} does: gracefully, forcibly after 10 s) but keeps this
     * registry's port, data directory and log, so that {@link #restart()} brings the same URL back: an outage
     * as clients see it. Schemas survive only with {@link Options#dataDir()} (in-memory storage starts empty,
     * and would hand out IDs again). Idempotent.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void stop() {
        requireOpen();
        if (!stopped) {
            stopped = true;
            child.stop(STOP_GRACE);
            LOG.info("Apicurio Registry at {} stopped (restart() brings it back)", url);
        }
    }

    /**
     * Launches the registry again on the same port and data directory after {@link #stop()} (or stops and
     * relaunches a running one) and blocks until it answers, like {@link #start(Options)}.
     *
     * @throws IllegalStateException after {@link #close()}, or if it does not start in time
     */
    public synchronized void restart() {
        stop();
        long begin = System.nanoTime();
        child = RegistryProcess.launch(runnerJar, port, options.dataDir(), workDir);
        stopped = false;
        child.awaitReady(URI.create(url + "/subjects"), options.startTimeout());
        LOG.info("Apicurio Registry restarted at {} in {} ms (pid {})", url, millisSince(begin),
                child.process().pid());
    }

    /** True between a start and {@link #stop()} or {@link #close()}. */
    public synchronized boolean isRunning() {
        return !stopped && !closed.get();
    }

    private synchronized RegistryProcess current() {
        return child;
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** The Confluent-compatible base URL, {@code http://127.0.0.1:PORT/apis/ccompat/v7}. */
    public String url() {
        return url;
    }

    /** The file receiving the registry's output; deleted by {@link #close()}. */
    public Path logFile() {
        return current().logFile();
    }

    /** The child process, for tests that check it is gone after close. */
    Process process() {
        return current().process();
    }

    /**
     * Stops the registry and any process it started (gracefully, forcibly after 10 s), waits for
     * them to end, and deletes the log and temporary files. Idempotent.
     */
    @Override
    public void close() {
        if (closed.get()) {
            return;
        }
        long begin = System.nanoTime();
        stop(true);
        LOG.info("Apicurio Registry at {} closed in {} ms", url, millisSince(begin));
    }

    @Override
    public String toString() {
        return "EmbeddedRegistry[" + url + ", log=" + logFile() + "]";
    }

    private void stop(boolean deleteWorkDir) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // The hook is running or about to run and stops the child itself.
        }
        current().stop(STOP_GRACE);
        if (deleteWorkDir) {
            Directories.deleteQuietly(workDir);
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * How to start the registry.
     *
     * @param port         the HTTP port on 127.0.0.1; 0 (the default) picks a free port
     * @param dataDir      directory for a file H2 database that survives restarts; {@code null}
     *                     (the default) keeps the data in memory
     * @param startTimeout how long to wait for readiness; {@code null} means the default, 60 s
     */
    public record Options(int port, Path dataDir, Duration startTimeout) {

        /** The default readiness deadline. */
        public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(60);

        /** Validates the options. */
        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 (pick a free port) and 65535, was " + port);
            }
            startTimeout = startTimeout == null ? DEFAULT_START_TIMEOUT : startTimeout;
            if (startTimeout.isNegative() || startTimeout.isZero()) {
                throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
            }
        }

        /** A free port, in-memory storage, a 60 s start timeout. */
        public static Options defaults() {
            return new Options(0, null, DEFAULT_START_TIMEOUT);
        }

        /** A copy with the given HTTP port (0: pick a free port). */
        public Options withPort(int newPort) {
            return new Options(newPort, dataDir, startTimeout);
        }

        /** A copy storing data in a file database under {@code newDataDir} ({@code null}: in memory). */
        public Options withDataDir(Path newDataDir) {
            return new Options(port, newDataDir, startTimeout);
        }

        /** A copy with the given readiness deadline. */
        public Options withStartTimeout(Duration newStartTimeout) {
            return new Options(port, dataDir, newStartTimeout);
        }
    }
}
