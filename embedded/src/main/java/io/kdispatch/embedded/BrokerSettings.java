package io.kdispatch.embedded;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The broker configuration of {@link EmbeddedKafka}: one combined broker+controller node bound to
 * 127.0.0.1, tuned for tests.
 *
 * <p>The keys in {@link #RESERVED} wire the node together (roles, listeners, quorum, directories);
 * {@link EmbeddedKafka.Options} refuses overrides of them. Every other default may be overridden.
 */
final class BrokerSettings {

    static final int NODE_ID = 1;
    static final String BROKER_LISTENER = "PLAINTEXT";
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** Keys set from the options and the chosen ports; overriding them would break the node. */
    static final Set<String> RESERVED = Set.of(
            "process.roles", "node.id", "listeners", "advertised.listeners",
            "controller.listener.names", "listener.security.protocol.map",
            "inter.broker.listener.name", "controller.quorum.voters",
            "controller.quorum.bootstrap.servers", "log.dir", "log.dirs", "metadata.log.dir");

    private BrokerSettings() {
    }

    /**
     * Settings a single broker needs plus small footprints for tests. Internal topics get one
     * partition and one replica (with more, the group and transaction coordinators never load);
     * automatic topic creation is off so that a misspelt topic fails instead of appearing.
     */
    static Map<String, String> testDefaults() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("auto.create.topics.enable", "false");
        settings.put("num.partitions", "1");
        settings.put("default.replication.factor", "1");
        settings.put("min.insync.replicas", "1");
        settings.put("offsets.topic.replication.factor", "1");
        settings.put("offsets.topic.num.partitions", "1");
        settings.put("transaction.state.log.replication.factor", "1");
        settings.put("transaction.state.log.min.isr", "1");
        settings.put("transaction.state.log.num.partitions", "1");
        settings.put("share.coordinator.state.topic.replication.factor", "1");
        settings.put("share.coordinator.state.topic.min.isr", "1");
        settings.put("share.coordinator.state.topic.num.partitions", "1");
        // The default 3 s delay holds every first consumer-group join back for nothing here.
        settings.put("group.initial.rebalance.delay.ms", "0");
        settings.put("log.segment.bytes", String.valueOf(8 * 1024 * 1024));
        settings.put("log.index.size.max.bytes", String.valueOf(1024 * 1024));
        settings.put("log.retention.hours", "1");
        // The cleaner allocates its whole dedupe buffer up front (128 MiB by default).
        settings.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return settings;
    }

    /**
     * The full configuration: test defaults, then overrides, then the reserved wiring. With
     * {@code security} (nullable) both listeners use SASL and the authorizer is on; without it they
     * are PLAINTEXT, as they always were.
     */
    static Map<String, String> build(int brokerPort, int controllerPort, Path logDir,
                                     Map<String, String> overrides, BrokerSecurity security) {
        Map<String, String> settings = testDefaults();
        settings.putAll(overrides);
        String host = FreePorts.LOOPBACK;
        String client = security == null ? BROKER_LISTENER : BrokerSecurity.CLIENT_LISTENER;
        String protocol = security == null ? "PLAINTEXT" : BrokerSecurity.PROTOCOL;
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", String.valueOf(NODE_ID));
        settings.put("listeners", client + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        settings.put("advertised.listeners", client + "://" + host + ":" + brokerPort);
        settings.put("listener.security.protocol.map",
                client + ":" + protocol + "," + CONTROLLER_LISTENER + ":" + protocol);
        settings.put("inter.broker.listener.name", client);
        settings.put("controller.listener.names", CONTROLLER_LISTENER);
        // A static voter set keeps no endpoint in the log, so a kept data directory restarts
        // cleanly even when the controller port changes between runs.
        settings.put("controller.quorum.voters", NODE_ID + "@" + host + ":" + controllerPort);
        settings.put("log.dirs", logDir.toString());
        if (security != null) {
            settings.putAll(security.brokerSettings(CONTROLLER_LISTENER));
        }
        return settings;
    }

    /**
     * The configuration of node {@code nodeId} of a cluster of {@code size} combined broker+controller
     * nodes (PLAINTEXT, no authorizer): every replicated topic, internal ones included, gets {@code size}
     * replicas and {@code min.insync.replicas} of {@code min(2, size)}, so one node may be down at a time.
     * A node silent for 3 s is fenced (9 s by default), so leadership leaves a killed node sooner.
     *
     * @param voters the static quorum, {@code id@host:port,...}, the same for every node
     */
    static Map<String, String> clusterNode(int nodeId, int size, int brokerPort, int controllerPort, String voters,
                                           Path logDir, Map<String, String> overrides) {
        Map<String, String> settings = testDefaults();
        String replicas = String.valueOf(size);
        String minIsr = String.valueOf(Math.min(2, size));
        settings.put("default.replication.factor", replicas);
        settings.put("min.insync.replicas", minIsr);
        settings.put("offsets.topic.replication.factor", replicas);
        settings.put("transaction.state.log.replication.factor", replicas);
        settings.put("transaction.state.log.min.isr", minIsr);
        settings.put("share.coordinator.state.topic.replication.factor", replicas);
        settings.put("share.coordinator.state.topic.min.isr", minIsr);
        settings.put("broker.heartbeat.interval.ms", "500");
        settings.put("broker.session.timeout.ms", "3000");
        settings.putAll(overrides);
        String host = FreePorts.LOOPBACK;
        settings.put("process.roles", "broker,controller");
        settings.put("node.id", String.valueOf(nodeId));
        settings.put("listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + host + ":" + controllerPort);
        settings.put("advertised.listeners", BROKER_LISTENER + "://" + host + ":" + brokerPort);
        settings.put("listener.security.protocol.map", BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER
                + ":PLAINTEXT");
        settings.put("inter.broker.listener.name", BROKER_LISTENER);
        settings.put("controller.listener.names", CONTROLLER_LISTENER);
        settings.put("controller.quorum.voters", voters);
        settings.put("log.dirs", logDir.toString());
        return settings;
    }
}
