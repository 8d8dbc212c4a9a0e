package io.kdispatch.dispatcher.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine.Option;

/**
 * {@code --config FILE}: a Kafka client properties file (security.protocol, sasl.mechanism,
 * sasl.jaas.config, ssl.*, timeouts, ...) for commands whose clients come from worker-sdk. The same
 * file works with Kafka's own tools ({@code --command-config}); the SDK refuses the few settings its
 * guarantees rest on (group.id, acks, isolation.level, ...), naming the reason.
 */
final class KafkaClientConfig {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Kafka client properties (security.protocol, sasl.mechanism, sasl.jaas.config, ssl.*, ...) "
                    + "for every Kafka client of this command.")
    Path file;

    /**
     * The file's properties; empty without {@code --config}.
     *
     * @throws IllegalArgumentException when the file cannot be read (a usage error: exit status 2)
     */
    Map<String, Object> properties() {
        Map<String, Object> props = new TreeMap<>();
        if (file == null) {
            return props;
        }
        Properties loaded = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            loaded.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read --config " + file + ": " + e, e);
        }
        loaded.forEach((k, v) -> props.put(k.toString(), v.toString()));
        return props;
    }
}
