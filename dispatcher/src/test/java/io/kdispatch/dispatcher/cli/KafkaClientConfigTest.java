package io.kdispatch.dispatcher.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --config FILE} of {@code worker} and {@code submit}: Kafka client properties, checked before use. */
class KafkaClientConfigTest {
    private final CliRun cli = new CliRun();
    private final StringWriter out = cli.out;
    private final StringWriter err = cli.err;

    private int run(String... args) {
        return cli.run(args);
    }

    @ParameterizedTest
    @ValueSource(strings = {"worker", "submit"})
    void theOptionIsDocumented(String command) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out.toString()).contains("--config=FILE").contains("security.protocol");
    }

    @Test
    void aFileIsReadAsKafkaClientProperties(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("client.properties");
        Files.writeString(file, "security.protocol=SASL_SSL\nsasl.mechanism=SCRAM-SHA-512\n");
        KafkaClientConfig config = new KafkaClientConfig();
        config.file = file;

        assertThat(config.properties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").hasSize(2);
        assertThat(new KafkaClientConfig().properties()).isEmpty();
    }

    @Test
    void aSettingTheSdkFixesIsAUsageErrorWithTheReason(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("client.properties");
        Files.writeString(config, "group.id=mine\n");
        Path tasks = Files.writeString(dir.resolve("tasks.jsonl"), "");

        int status = run("submit", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "mock://cfg",
                "--config", config.toString(), "--file", tasks.toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("kafkaProperties may not set 'group.id'");
    }

    @Test
    void anUnreadableFileIsAUsageError(@TempDir Path dir) {
        int status = run("worker", "--bootstrap-servers", "127.0.0.1:1", "--schema-registry-url", "mock://cfg",
                "--id", "w1", "--config", dir.resolve("missing.properties").toString());

        assertThat(status).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read --config");
    }
}
