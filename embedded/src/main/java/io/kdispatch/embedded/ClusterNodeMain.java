package io.kdispatch.embedded;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * The entry point of one node of an {@link EmbeddedKafkaCluster}, run in a JVM of its own so that the test
 * can kill it (SIGKILL) like a crashed broker: {@code ClusterNodeMain <node.properties> <clusterId>}. Formats
 * the node's storage for the cluster unless already formatted, starts the node, prints {@link #READY}, and
 * runs until the process ends; SIGTERM shuts it down gracefully (a controlled shutdown).
 */
public final class ClusterNodeMain {
    /** Printed once the node has started (it may not have joined the cluster yet). */
    public static final String READY = "kdispatch-cluster-node-started";

    private ClusterNodeMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: ClusterNodeMain <node.properties> <clusterId>");
            System.exit(2);
        }
        Properties file = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            file.load(in);
        }
        Map<String, String> settings = new HashMap<>();
        file.forEach((k, v) -> settings.put(k.toString(), v.toString()));
        KafkaConfig config = new KafkaConfig(settings, false);
        StorageFormat.formatIfNeeded(config, List.of(), args[1]);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "kdispatch-cluster-node-shutdown"));
        server.startup();
        System.out.println(READY + " node " + config.nodeId());
        server.awaitShutdown();
    }
}
