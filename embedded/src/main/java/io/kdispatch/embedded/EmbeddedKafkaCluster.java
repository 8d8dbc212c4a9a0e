package io.kdispatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real multi-node Apache Kafka cluster on 127.0.0.1 for fault tests: {@code size} KRaft nodes, each both
 * broker and controller (a static quorum of all of them), each in a JVM of its own, so that a node can be
 * killed with SIGKILL like a crashed machine and started again on its own data directory and ports.
 * Topics and internal topics get {@code size} replicas and {@code min.insync.replicas} 2 (see
 * {@link BrokerSettings#clusterNode}), so with 3 nodes one may be down at any time without stopping
 * producers that use {@code acks=all}.
 *
 * <p>{@link #start(int, Map)} returns once every node is in the cluster and a topic with {@code size}
 * replicas can be created. Each node's output goes to {@link #logFile(int)}. A JVM shutdown hook kills the
 * nodes if the JVM exits without {@link #close()}, which kills them and deletes every data directory.
 *
 * <p>Thread safety: the node methods are synchronized; {@link #close()} is idempotent.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaCluster.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);

    private final Path root;
    private final String clusterId = Uuid.randomUuid().toString();
    private final List<Path> configs = new ArrayList<>();
    private final List<Process> nodes = new ArrayList<>();
    private final String bootstrapServers;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafkaCluster(int size, Map<String, String> overrides) {
        root = Directories.createTemp("kdispatch-cluster-");
        List<Integer> ports = FreePorts.pick(2 * size);
        String voters = IntStream.range(0, size).mapToObj(i -> (i + 1) + "@" + FreePorts.LOOPBACK + ":"
                + ports.get(size + i)).collect(Collectors.joining(","));
        bootstrapServers = IntStream.range(0, size).mapToObj(i -> FreePorts.LOOPBACK + ":" + ports.get(i))
                .collect(Collectors.joining(","));
        for (int i = 0; i < size; i++) {
            Path dir = Directories.ensure(root.resolve("node-" + (i + 1)));
            configs.add(write(dir.resolve("node.properties"), BrokerSettings.clusterNode(i + 1, size, ports.get(i),
                    ports.get(size + i), voters, dir.resolve("logs"), overrides)));
            nodes.add(null);
        }
        shutdownHook = new Thread(this::killAll, "kdispatch-cluster-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Starts a cluster of {@code size} nodes and blocks until all of them serve (typically 10 to 20 s).
     *
     * @param brokerOverrides settings every node gets on top of the test defaults (listener, role, quorum and
     *     directory settings are set by this class and win)
     * @throws IllegalStateException if the cluster is not ready within 120 s; it is closed again
     */
    public static EmbeddedKafkaCluster start(int size, Map<String, String> brokerOverrides) {
        if (size < 1 || size > 9) {
            throw new IllegalArgumentException("size must be between 1 and 9, was " + size);
        }
        long begin = System.nanoTime();
        EmbeddedKafkaCluster cluster = new EmbeddedKafkaCluster(size, brokerOverrides == null ? Map.of()
                : brokerOverrides);
        try {
            for (int node = 1; node <= size; node++) {
                cluster.launch(node);
            }
            ClusterReadiness.awaitNodes(cluster.bootstrapServers, size, size, READY_TIMEOUT);
        } catch (RuntimeException e) {
            String tail = cluster.tails();
            cluster.close();
            throw new IllegalStateException("Kafka cluster of " + size + " nodes did not start: " + e.getMessage()
                    + "\n" + tail, e);
        }
        LOG.info("Kafka cluster of {} nodes started at {} in {} ms ({})", size, cluster.bootstrapServers,
                millisSince(begin), cluster.root);
        return cluster;
    }

    /** Every node's client address, {@code 127.0.0.1:P1,127.0.0.1:P2,...}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The number of nodes, running or not; nodes are numbered from 1. */
    public int size() {
        return configs.size();
    }

    /** Kills node {@code node} (1-based) with SIGKILL, as a crash, and waits until its process is gone. */
    public synchronized void kill(int node) {
        Process process = running(node);
        process.destroyForcibly();
        awaitExit(process, STOP_GRACE);
        nodes.set(node - 1, null);
        LOG.info("Kafka cluster node {} killed (pid {})", node, process.pid());
    }

    /** Stops node {@code node} with SIGTERM (a controlled shutdown), SIGKILL after 30 s. */
    public synchronized void stop(int node) {
        Process process = running(node);
        process.destroy();
        if (!awaitExit(process, STOP_GRACE)) {
            process.destroyForcibly();
            awaitExit(process, STOP_GRACE);
        }
        nodes.set(node - 1, null);
        LOG.info("Kafka cluster node {} stopped (pid {})", node, process.pid());
    }

    /**
     * Starts node {@code node} again on its data directory and ports and blocks until every node is back in
     * the cluster (its partitions may still be catching up: see {@link #awaitFullyReplicated(Duration)}).
     */
    public synchronized void start(int node) {
        if (isRunning(node)) {
            throw new IllegalStateException("node " + node + " is running");
        }
        long begin = System.nanoTime();
        launch(node);
        ClusterReadiness.awaitNodes(bootstrapServers, size(), 1, READY_TIMEOUT);
        LOG.info("Kafka cluster node {} back in {} ms", node, millisSince(begin));
    }

    /** True when node {@code node}'s process runs. */
    public synchronized boolean isRunning(int node) {
        Process process = nodes.get(node - 1);
        return process != null && process.isAlive();
    }

    /**
     * Blocks until every partition of every topic has all its replicas in sync again (after a restarted
     * node caught up), so that the next fault again leaves {@code min.insync.replicas} standing.
     *
     * @throws IllegalStateException when that did not happen within {@code timeout}
     */
    public void awaitFullyReplicated(Duration timeout) {
        ClusterReadiness.awaitFullyReplicated(bootstrapServers, timeout);
    }

    /** The file receiving node {@code node}'s output (all its runs). */
    public Path logFile(int node) {
        return configs.get(node - 1).resolveSibling("node.log");
    }

    /** Kills every node and deletes every data directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException jvmShuttingDown) {
            // the hook runs and kills the nodes itself
        }
        killAll();
        Directories.deleteQuietly(root);
        LOG.info("Kafka cluster at {} closed", bootstrapServers);
    }

    @Override
    public String toString() {
        return "EmbeddedKafkaCluster[" + bootstrapServers + ", " + root + "]";
    }

    private synchronized void killAll() {
        for (int node = 1; node <= size(); node++) {
            Process process = nodes.get(node - 1);
            if (process != null) {
                process.destroyForcibly();
                awaitExit(process, STOP_GRACE);
                nodes.set(node - 1, null);
            }
        }
    }

    private Process running(int node) {
        if (!isRunning(node)) {
            throw new IllegalStateException("node " + node + " is not running");
        }
        return nodes.get(node - 1);
    }

    private void launch(int node) {
        Path config = configs.get(node - 1);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"),
                "-cp", System.getProperty("java.class.path")));
        String log4j = System.getProperty("log4j2.configurationFile");
        if (log4j != null) {
            command.add("-Dlog4j2.configurationFile=" + log4j);
        }
        command.addAll(List.of(ClusterNodeMain.class.getName(), config.toString(), clusterId));
        try {
            nodes.set(node - 1, new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(node).toFile())).start());
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch cluster node " + node, e);
        }
    }

    private String tails() {
        StringBuilder sb = new StringBuilder();
        for (int node = 1; node <= size(); node++) {
            try {
                List<String> lines = Files.exists(logFile(node)) ? Files.readAllLines(logFile(node)) : List.of();
                sb.append("node ").append(node).append(" (").append(logFile(node)).append("), last lines:\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())))
                        .append('\n');
            } catch (IOException | UncheckedIOException e) {
                sb.append("node ").append(node).append(": log unreadable: ").append(e).append('\n');
            }
        }
        return sb.toString();
    }

    private static Path write(Path file, Map<String, String> settings) {
        Properties properties = new Properties();
        new TreeSet<>(settings.keySet()).forEach(k -> properties.setProperty(k, settings.get(k)));
        try (Writer out = Files.newBufferedWriter(file)) {
            properties.store(out, "cluster node");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static boolean awaitExit(Process process, Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
