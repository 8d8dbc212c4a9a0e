package io.kdispatch.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Apache Kafka cluster running inside this JVM: one KRaft node that is both
 * broker and controller, listening on 127.0.0.1 only. By default clients connect with PLAINTEXT and
 * no authorizer runs; {@link Options#withSecurity} turns on SASL/SCRAM-SHA-512 and the standard ACL
 * authorizer instead (see {@link BrokerSecurity}).
 *
 * <p>{@link #start(Options)} formats the storage, starts the node and returns once the broker
 * accepts writes (it creates and deletes a probe topic). Topics are never created automatically.
 * Internal topics have one partition and one replica, so consumer groups and transactions
 * (exactly-once) work.
 *
 * <p>{@link #stop()} and {@link #restart()} take the broker away and bring it back on the same port and
 * data directory, for tests of how clients ride out a broker outage.
 *
 * <p>Thread safety: all methods may be called from any thread. {@link #close()} is idempotent;
 * a call made while another thread is closing returns at once.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    /** The running node; after {@link #stop()} the stopped one, until {@link #restart()}. Guarded by this. */
    private KafkaRaftServer server;
    private boolean stopped;
    /** The whole configuration, ports included, so that a restart brings back the same node. */
    private final Map<String, String> settings;
    private final String bootstrapServers;
    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final BrokerSecurity security;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedKafka(Map<String, String> settings, String bootstrapServers, Path dataDir,
                          boolean deleteDataDirOnClose, BrokerSecurity security) {
        this.settings = Map.copyOf(settings);
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.security = security;
    }

    /** Starts a broker with {@link Options#defaults()}. */
    public static EmbeddedKafka start() {
        return start(Options.defaults());
    }

    /**
     * Starts a broker and blocks until it accepts writes (typically about 5 s).
     *
     * @throws IllegalStateException if the broker does not start or is not ready within 60 s;
     *                               whatever was started is shut down again
     */
    public static EmbeddedKafka start(Options options) {
        Objects.requireNonNull(options, "options must not be null (use Options.defaults())");
        long begin = System.nanoTime();
        boolean temporary = options.dataDir() == null;
        Path dataDir = temporary ? Directories.createTemp("kdispatch-kafka-") : Directories.ensure(options.dataDir());
        List<Integer> ports = FreePorts.pick(2);
        int brokerPort = options.port() != 0 ? options.port() : ports.get(0);
        int controllerPort = ports.get(0) != brokerPort ? ports.get(0) : ports.get(1);
        BrokerSecurity security = options.security();
        Map<String, String> settings = BrokerSettings.build(brokerPort, controllerPort,
                dataDir.resolve("logs"), options.brokerOverrides(), security);
        String bootstrap = FreePorts.LOOPBACK + ":" + brokerPort;
        EmbeddedKafka kafka = null;
        try {
            KafkaConfig config = new KafkaConfig(settings, false);
            StorageFormat.formatIfNeeded(config, security == null ? List.of() : security.scramArguments());
            kafka = new EmbeddedKafka(settings, bootstrap, dataDir, temporary, security);
            kafka.launch();
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            } else if (temporary) {
                Directories.deleteQuietly(dataDir);
            }
            throw new IllegalStateException("Embedded Kafka failed to start on " + bootstrap
                    + " (data dir " + dataDir + "): " + e.getMessage(), e);
        }
        LOG.info("Embedded Kafka started at {} in {} ms (data dir {}, {})", bootstrap, millisSince(begin), dataDir,
                security == null ? "PLAINTEXT, no authorizer" : security);
        return kafka;
    }

    /** Creates and starts the node from {@link #settings} and waits until it accepts writes. */
    private synchronized void launch() {
        server = new KafkaRaftServer(new KafkaConfig(settings, false), Time.SYSTEM);
        stopped = false;
        server.startup();
        KafkaReadiness.await(bootstrapServers, READY_TIMEOUT, adminClientProperties());
    }

    /**
     * Shuts the broker down (a controlled shutdown, as an operator's stop) and keeps its data directory, its
     * ports and this object, so that {@link #restart()} brings the same broker back on the same address with
     * every topic, offset and transaction it had: clients see an outage, not a new cluster. Idempotent.
     *
     * @throws IllegalStateException after {@link #close()}
     */
    public synchronized void stop() {
        if (closed.get()) {
            throw new IllegalStateException(this + " is closed");
        }
        if (!stopped) {
            long begin = System.nanoTime();
            stopped = true;
            server.shutdown();
            server.awaitShutdown();
            LOG.info("Embedded Kafka at {} stopped in {} ms (restart() brings it back)", bootstrapServers,
                    millisSince(begin));
        }
    }

    /**
     * Starts the broker again on the same port and data directory after {@link #stop()} (or stops and
     * starts a running one), and blocks until it accepts writes.
     *
     * @throws IllegalStateException after {@link #close()}, or when it is not ready within 60 s
     */
    public synchronized void restart() {
        stop();
        long begin = System.nanoTime();
        launch();
        LOG.info("Embedded Kafka restarted at {} in {} ms", bootstrapServers, millisSince(begin));
    }

    /** True between a start and {@link #stop()} or {@link #close()}. */
    public synchronized boolean isRunning() {
        return !stopped && !closed.get();
    }

    /** The bootstrap servers for clients, {@code 127.0.0.1:PORT}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The directory holding the broker's logs; deleted on close if it was temporary. */
    public Path dataDir() {
        return dataDir;
    }

    /** The security the broker runs with, or {@code null} for PLAINTEXT without an authorizer. */
    public BrokerSecurity security() {
        return security;
    }

    /**
     * Client settings that authenticate as the super user ({@code security.protocol},
     * {@code sasl.mechanism}, {@code sasl.jaas.config}); empty for a broker without security, so that
     * callers can always add them to their client configuration.
     */
    public Map<String, Object> adminClientProperties() {
        return security == null ? Map.of() : security.clientProperties(security.superUser());
    }

    /**
     * Shuts the broker down, waits until all its threads have stopped, and deletes the data
     * directory if {@link Options#dataDir()} was {@code null}. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long begin = System.nanoTime();
        try {
            synchronized (this) {
                if (server != null && !stopped) {
                    stopped = true;
                    server.shutdown();
                    server.awaitShutdown();
                }
            }
        } finally {
            if (deleteDataDirOnClose) {
                Directories.deleteQuietly(dataDir);
            }
        }
        LOG.info("Embedded Kafka at {} closed in {} ms", bootstrapServers, millisSince(begin));
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + ", dataDir=" + dataDir + "]";
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /**
     * How to start the broker.
     *
     * @param port            the client port on 127.0.0.1; 0 (the default) picks a free port
     * @param dataDir         where the broker keeps its logs; kept on close and reused (topics
     *                        survive a restart). {@code null} (the default) uses a fresh temporary
     *                        directory that {@link #close()} deletes
     * @param brokerOverrides broker settings that replace the test defaults (for example
     *                        {@code log.retention.hours}); listener, role, quorum and directory
     *                        settings are managed by this class and refused here, and so are the
     *                        authorizer and SASL settings when {@code security} is set
     * @param security        SASL/SCRAM and ACLs; {@code null} (the default) for PLAINTEXT without an
     *                        authorizer
     */
    public record Options(int port, Path dataDir, Map<String, String> brokerOverrides, BrokerSecurity security) {

        /** Validates the options; {@code brokerOverrides} may be {@code null} (no overrides). */
        public Options {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be between 0 (pick a free port) and 65535, was " + port);
            }
            brokerOverrides = brokerOverrides == null ? Map.of() : copyWithoutNulls(brokerOverrides);
            TreeSet<String> refused = new TreeSet<>(brokerOverrides.keySet());
            refused.retainAll(BrokerSettings.RESERVED);
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("brokerOverrides must not set " + refused
                        + ": EmbeddedKafka manages listeners, roles, the quorum and directories"
                        + " (use Options.port and Options.dataDir instead)");
            }
            if (security != null) {
                refuseSecurityOverrides(brokerOverrides);
            }
        }

        /** Options without security, as before it existed. */
        public Options(int port, Path dataDir, Map<String, String> brokerOverrides) {
            this(port, dataDir, brokerOverrides, null);
        }

        private static void refuseSecurityOverrides(Map<String, String> overrides) {
            TreeSet<String> refused = new TreeSet<>();
            overrides.keySet().stream()
                    .filter(k -> BrokerSecurity.RESERVED.contains(k) || k.startsWith("listener.name."))
                    .forEach(refused::add);
            if (!refused.isEmpty()) {
                throw new IllegalArgumentException("brokerOverrides must not set " + refused
                        + " with security on: EmbeddedKafka wires SASL and the authorizer itself");
            }
        }

        private static Map<String, String> copyWithoutNulls(Map<String, String> overrides) {
            overrides.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new IllegalArgumentException("brokerOverrides must not hold null keys or values, found "
                            + key + "=" + value);
                }
            });
            return Map.copyOf(overrides);
        }

        /** A free port, a temporary data directory, no overrides. */
        public static Options defaults() {
            return new Options(0, null, Map.of());
        }

        /** A copy with the given client port (0: pick a free port). */
        public Options withPort(int newPort) {
            return new Options(newPort, dataDir, brokerOverrides, security);
        }

        /** A copy that keeps its data in {@code newDataDir} ({@code null}: a temporary directory). */
        public Options withDataDir(Path newDataDir) {
            return new Options(port, newDataDir, brokerOverrides, security);
        }

        /** A copy with the given broker overrides, replacing the current ones. */
        public Options withBrokerOverrides(Map<String, String> newOverrides) {
            return new Options(port, dataDir, newOverrides, security);
        }

        /** A copy with SASL/SCRAM and ACLs ({@code null}: PLAINTEXT without an authorizer). */
        public Options withSecurity(BrokerSecurity newSecurity) {
            return new Options(port, dataDir, brokerOverrides, newSecurity);
        }
    }
}
