package io.kdispatch.dispatcher.control;

import io.kdispatch.schemas.ControlCommand;
import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.serde.AvroSerdes;
import io.kdispatch.schemas.serde.SerdeConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes and reads run-time settings on the compacted control topic ({@code <prefix>.control}, keyed by
 * setting key). Every write is validated with {@link ControlKeys} first, so an invalid value never
 * reaches the topic; the dispatchers apply an accepted one on their next decision.
 *
 * <p>Writes are acknowledged by all in-sync replicas, idempotent, and synchronous: {@link #set} returns
 * once the record is stored. The producer opens on the first write; each read uses its own short-lived
 * consumer without a group. Thread-safe; {@link #close()} is idempotent.
 */
public final class ControlClient implements AutoCloseable {
    /** How long a write or a read may take before it fails. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final String bootstrapServers;
    private final Topics topics;
    private final SerdeConfig serdes;
    private final Serde<ControlCommand> serde;
    private final Map<String, Object> clientProperties;
    private KafkaProducer<String, ControlCommand> producer;
    private boolean closed;

    /** A client for a cluster that needs no client settings besides its address. */
    public ControlClient(String bootstrapServers, SerdeConfig serdes, Topics topics) {
        this(bootstrapServers, serdes, topics, Map.of());
    }

    /**
     * @param clientProperties Kafka client settings for both the producer and the reader (security.protocol,
     *     sasl.*, ssl.*, ...); the settings this class relies on (acks, idempotence, isolation) win over them
     */
    public ControlClient(String bootstrapServers, SerdeConfig serdes, Topics topics,
                         Map<String, Object> clientProperties) {
        this.bootstrapServers = bootstrapServers;
        this.topics = topics;
        this.serdes = serdes;
        this.clientProperties = Map.copyOf(clientProperties);
        this.serde = AvroSerdes.serde(ControlCommand.class, serdes);
    }

    /** The producer, opened on the first write so that read-only use opens none. */
    private synchronized KafkaProducer<String, ControlCommand> producer() {
        if (closed) {
            throw new IllegalStateException("control client is closed");
        }
        if (producer != null) {
            return producer;
        }
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.putAll(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "kdispatch-control-" + UUID.randomUUID().toString().substring(0, 8),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0));
        producer = new KafkaProducer<>(props, new StringSerializer(), serde.serializer());
        return producer;
    }

    /**
     * Validates and writes one setting, waiting until it is stored.
     *
     * @param value the new value, or null to return the setting to its default
     * @param issuedBy who asks (a user name), recorded for the dispatchers' change log; may be empty
     * @return the canonical value written (e.g. {@code least-loaded} for {@code LEAST_LOADED}), or null
     * @throws IllegalArgumentException when the key or value is invalid; nothing is written then
     * @throws ControlWriteException when the broker did not acknowledge the write in time
     */
    public String set(String key, String value, String issuedBy) {
        String canonical = ControlKeys.normalize(key, value);
        ControlCommand command = new ControlCommand(key, canonical, Instant.now(), issuedBy == null ? "" : issuedBy);
        try {
            producer().send(new ProducerRecord<>(topics.control(), key, command))
                    .get(DEFAULT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return canonical;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlWriteException("interrupted while writing " + key, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new ControlWriteException("could not write " + key + " to " + topics.control() + ": "
                    + (e.getCause() == null ? e : e.getCause()).toString(), e);
        }
    }

    /**
     * The current settings (key → value), read from the beginning of the control topic up to its end.
     * Values the dispatchers would refuse are included as written; {@link ControlState#of} sorts them out.
     */
    public Map<String, String> settings() throws TimeoutException {
        Map<String, String> out = new TreeMap<>();
        commands().forEach((k, c) -> {
            if (c.getValue() != null) {
                out.put(k, c.getValue());
            }
        });
        return out;
    }

    /** The latest command per key, including resets (null values), sorted by key. */
    public Map<String, ControlCommand> commands() throws TimeoutException {
        Map<String, ControlCommand> out = new TreeMap<>();
        // A fresh deserializer per read: the snapshot's consumer closes the one it is given.
        TopicSnapshot.read(bootstrapServers, clientProperties, topics.control(),
                        AvroSerdes.serde(ControlCommand.class, serdes).deserializer(), DEFAULT_TIMEOUT)
                .forEach((k, r) -> out.put(k, r.value()));
        return out;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        serde.close();
    }

    /** The control topic did not take a write. */
    public static final class ControlWriteException extends RuntimeException {
        public ControlWriteException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
