package io.kdispatch.dispatcher.cli;

import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.embedded.EmbeddedRegistry;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** A real broker and registry in the foreground, for multi-process local work. */
@Command(name = "dev-cluster", mixinStandardHelpOptions = true,
        description = "Run a single-node Kafka broker (KRaft, in-process) and a schema registry (child process) "
                + "on 127.0.0.1 until SIGTERM/Ctrl-C.")
final class DevClusterCommand implements Callable<Integer> {
    @Option(names = "--kafka-port", defaultValue = "9092", description = "Broker port (default: ${DEFAULT-VALUE}).")
    int kafkaPort;

    @Option(names = "--registry-port", defaultValue = "8081", description = "Registry port (default: ${DEFAULT-VALUE}).")
    int registryPort;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Keep broker and registry data here across restarts (default: a temp dir, deleted on exit).")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        EmbeddedKafka.Options kafkaOptions = EmbeddedKafka.Options.defaults().withPort(kafkaPort);
        EmbeddedRegistry.Options registryOptions = EmbeddedRegistry.Options.defaults().withPort(registryPort);
        if (dataDir != null) {
            kafkaOptions = kafkaOptions.withDataDir(dataDir.resolve("kafka"));
            registryOptions = registryOptions.withDataDir(dataDir.resolve("registry"));
        }
        try (ShutdownSignal signal = new ShutdownSignal();
             EmbeddedKafka kafka = EmbeddedKafka.start(kafkaOptions);
             EmbeddedRegistry registry = EmbeddedRegistry.start(registryOptions)) {
            System.out.println("bootstrap servers:   " + kafka.bootstrapServers());
            System.out.println("schema registry url: " + registry.url());
            System.out.println("Ctrl-C to stop.");
            System.out.flush();
            signal.await();
            System.out.println("stopping");
        }
        return 0;
    }
}
