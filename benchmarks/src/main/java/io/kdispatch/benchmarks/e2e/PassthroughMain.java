package io.kdispatch.benchmarks.e2e;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The baseline, as a child process: a plain Kafka Streams application that copies the intake's bytes
 * to another topic, with Streams' default settings and one stream thread. Whatever the dispatcher
 * costs beyond this is ours.
 *
 * <p>Arguments: {@code bootstrap applicationId stateDir sourceTopic sinkTopic exactly_once_v2|at_least_once}.
 * Runs until SIGTERM.
 */
public final class PassthroughMain {
    private PassthroughMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 6) {
            throw new IllegalArgumentException(
                    "usage: PassthroughMain bootstrap applicationId stateDir source sink guarantee");
        }
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(args[3], Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()))
                .to(args[4], Produced.with(Serdes.ByteArray(), Serdes.ByteArray()));
        Properties props = new Properties();
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, args[1]);
        props.put(StreamsConfig.STATE_DIR_CONFIG, args[2]);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, args[5]);
        KafkaStreams streams = new KafkaStreams(builder.build(), props);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            streams.close(Duration.ofSeconds(15));
            closed.countDown();
        }, "passthrough-shutdown"));
        streams.start();
        closed.await();
    }
}
