package io.kdispatch.dispatcher.cli;

import io.kdispatch.schemas.DeadLetter;
import io.kdispatch.schemas.TaskAssignment;
import io.kdispatch.schemas.TaskResult;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints a topic's records as JSON lines. */
@Command(name = "tail", mixinStandardHelpOptions = true,
        description = "Print records of results, dlq, heartbeats or worker:<id> as JSON lines.")
final class TailCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Option(names = "--topic", required = true, paramLabel = "results|dlq|heartbeats|worker:<id>")
    String topic;

    @Option(names = "--from-beginning", description = "Start at the earliest offset instead of the end.")
    boolean fromBeginning;

    @Option(names = "--idle-timeout", paramLabel = "DURATION",
            description = "Exit after this long without a record (default: run until Ctrl-C).")
    Duration idleTimeout;

    @Override
    public Integer call() {
        Target target = Target.parse(topic, cluster.topics());
        Map<String, Object> props = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "kdispatch-tail-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, fromBeginning ? "earliest" : "latest");
        Deserializer<? extends SpecificRecord> values = AvroSerdes.serde(target.type, cluster.serdes()).deserializer();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                cast(values))) {
            consumer.subscribe(List.of(target.topic));
            long idleSince = System.nanoTime();
            while (idleTimeout == null || System.nanoTime() - idleSince < idleTimeout.toNanos()) {
                ConsumerRecords<String, SpecificRecord> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (RecordDeserializationException e) {
                    System.err.println("skipping unreadable record at " + e.topicPartition() + "@" + e.offset()
                            + ": " + e.getMessage());
                    consumer.seek(e.topicPartition(), e.offset() + 1);
                    continue;
                }
                for (ConsumerRecord<String, SpecificRecord> r : records) {
                    System.out.println(r.value() == null ? "{\"key\":\"" + r.key() + "\",\"tombstone\":true}"
                            : RecordJson.of(r.value()));
                    idleSince = System.nanoTime();
                }
                System.out.flush();
            }
        }
        return 0;
    }

    @SuppressWarnings("unchecked")
    private static Deserializer<SpecificRecord> cast(Deserializer<? extends SpecificRecord> d) {
        return (Deserializer<SpecificRecord>) d;
    }

    private record Target(String topic, Class<? extends SpecificRecord> type) {
        static Target parse(String name, Topics topics) {
            if (name.startsWith("worker:")) {
                return new Target(topics.workerTopic(name.substring("worker:".length())), TaskAssignment.class);
            }
            return switch (name) {
                case "results" -> new Target(topics.results(), TaskResult.class);
                case "dlq" -> new Target(topics.deadLetters(), DeadLetter.class);
                case "heartbeats" -> new Target(topics.heartbeats(), WorkerHeartbeat.class);
                default -> throw new IllegalArgumentException("unknown --topic '" + name
                        + "': use results, dlq, heartbeats or worker:<id>");
            };
        }
    }

}
