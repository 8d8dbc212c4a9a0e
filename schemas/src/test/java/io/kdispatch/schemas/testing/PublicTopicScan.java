package io.kdispatch.schemas.testing;

import static org.awaitility.Awaitility.await;

import io.kdispatch.schemas.serde.SchemaRegistryClient;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads whole topics and checks every record value with {@link JsonSafeNumbers}, decoding it the
 * way a client without kdispatch's generated classes does (Confluent's JavaScript deserializer,
 * say): the schema ID from the Confluent wire header, the writer schema from the registry by that
 * ID, and a generic Avro read without logical-type conversions.
 *
 * <p>Each topic is read from the beginning up to its end offsets at the time of the call, with
 * {@code read_committed} (so records of open or aborted transactions are not judged), by a consumer
 * without a group that is closed before {@link #scan} returns. Tombstones are skipped; values that
 * are not in the wire format or whose schema ID is unknown are listed as undecodable.
 */
public final class PublicTopicScan {
    private static final Duration READ_DEADLINE = Duration.ofSeconds(30);

    /**
     * What a scan found.
     *
     * @param records per topic, the number of records read per value schema (full name)
     * @param violations every number out of bounds, as {@code topic@partition:offset path = value}
     * @param undecodable every value that is not a registry Avro record, as {@code topic@partition:offset key}
     */
    public record Report(Map<String, Map<String, Integer>> records, List<String> violations,
                         List<String> undecodable) {
        /** Records read of type {@code fullName} (e.g. {@code io.kdispatch.schemas.TaskResult}) in all topics. */
        public int count(String fullName) {
            return records.values().stream().mapToInt(byType -> byType.getOrDefault(fullName, 0)).sum();
        }
    }

    private PublicTopicScan() {
    }

    /** Scans {@code topics} of the cluster at {@code bootstrap}, fetching schemas through {@code serdes}. */
    public static Report scan(String bootstrap, SerdeConfig serdes, Collection<String> topics) {
        SchemaRegistryClient registry = SchemaRegistryClient.forConfig(serdes);
        Report report = new Report(new TreeMap<>(), new ArrayList<>(), new ArrayList<>());
        try (KafkaConsumer<String, byte[]> consumer = consumer(bootstrap)) {
            for (String topic : topics) {
                for (ConsumerRecord<String, byte[]> record : readAll(consumer, topic)) {
                    judge(record, registry, report);
                }
            }
        } finally {
            if (!serdes.isMock()) { // the in-memory registry of a mock scope is shared: leave it open
                registry.close();
            }
        }
        return report;
    }

    private static void judge(ConsumerRecord<String, byte[]> record, SchemaRegistryClient registry, Report report) {
        byte[] value = record.value();
        if (value == null) {
            return;
        }
        String where = record.topic() + "@" + record.partition() + ":" + record.offset();
        Schema writer;
        Object datum;
        try {
            if (value.length < 5 || value[0] != 0) {
                throw new IOException("not the Confluent wire format");
            }
            writer = registry.getById(ByteBuffer.wrap(value, 1, 4).getInt());
            datum = new GenericDatumReader<>(writer, writer, new GenericData())
                    .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
        } catch (IOException | RuntimeException e) {
            report.undecodable().add(where + " " + record.key());
            return;
        }
        report.records().computeIfAbsent(record.topic(), t -> new TreeMap<>())
                .merge(writer.getFullName(), 1, Integer::sum);
        JsonSafeNumbers.violations(writer, datum).forEach(v -> report.violations().add(where + " " + v));
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_DEADLINE).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, READ_DEADLINE);
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        await().atMost(READ_DEADLINE).until(() -> {
            consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
        });
        return records;
    }

    private static KafkaConsumer<String, byte[]> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, "kdispatch-topic-scan-" + UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer());
    }
}
