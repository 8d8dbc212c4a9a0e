package io.kdispatch.benchmarks.e2e;

import io.kdispatch.schemas.Topics;
import io.kdispatch.schemas.WorkerHeartbeat;
import io.kdispatch.schemas.WorkerStatus;
import io.kdispatch.schemas.serde.AvroSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Workers that exist only as heartbeats: each announces itself READY with the largest capacity the
 * dispatcher accepts and no load, once a second, and has its topic, but nobody consumes it. The
 * dispatcher sees a fleet with room for everything; the counter reads what it sends them.
 */
final class SimulatedFleet implements AutoCloseable {
    /** The largest capacity a heartbeat may announce (the dispatcher refuses more). */
    static final int CAPACITY = 100_000;
    private static final long INTERVAL_MS = 1_000;

    private final List<String> ids = new ArrayList<>();
    private final Producer<String, WorkerHeartbeat> producer;
    private final Serde<WorkerHeartbeat> serde;
    private final ScheduledExecutorService timer;
    private final String topic;

    private SimulatedFleet(BenchCluster cluster, Topics topics, List<String> workerIds) {
        ids.addAll(workerIds);
        cluster.createTopics(ids.stream().map(topics::workerTopic).toList(), 1);
        this.topic = topics.heartbeats();
        this.serde = AvroSerdes.serde(WorkerHeartbeat.class, cluster.serdes());
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrap(),
                ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), serde.serializer());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "bench-heartbeats"));
    }

    /** Starts {@code size} simulated workers; returns once their first heartbeats are written. */
    static SimulatedFleet start(BenchCluster cluster, Topics topics, int size) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            ids.add("sim-" + i);
        }
        return start(cluster, topics, ids);
    }

    /** Starts simulated workers with these IDs; returns once their first heartbeats are written. */
    static SimulatedFleet start(BenchCluster cluster, Topics topics, List<String> workerIds) {
        SimulatedFleet fleet = new SimulatedFleet(cluster, topics, workerIds);
        fleet.beat();
        fleet.producer.flush();
        fleet.timer.scheduleAtFixedRate(fleet::beat, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
        return fleet;
    }

    private void beat() {
        Instant now = Instant.now();
        for (String id : ids) {
            producer.send(new ProducerRecord<>(topic, id, WorkerHeartbeat.newBuilder().setWorkerId(id)
                    .setIncarnation(1).setStatus(WorkerStatus.READY).setCapacity(CAPACITY)
                    .setHeartbeatIntervalMs((int) INTERVAL_MS).setSentAt(now).setSdkVersion("bench").build()));
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        serde.close();
    }
}
