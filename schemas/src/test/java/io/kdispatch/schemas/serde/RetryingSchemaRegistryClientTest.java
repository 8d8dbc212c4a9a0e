package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A registry that is briefly away is waited out, within the bound; answers that describe a request are not. */
class RetryingSchemaRegistryClientTest {
    private static final String UNAVAILABLE = "{\"error_code\":50301,\"message\":\"restarting\"}";

    private FakeRegistryServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeRegistryServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aServerErrorIsRetriedUntilTheRegistryAnswers() {
        try (SchemaRegistryClient client = SchemaRegistryClient.forConfig(SerdeConfig.of(server.url()))) {
            server.respondOnceWith(503, UNAVAILABLE);
            int id = client.register("t-value", Task.getClassSchema());
            assertEquals(Task.getClassSchema(), client.getById(id));
            assertEquals(2, server.requests().size(), "one refused, one answered; getById is cached");
        }
    }

    @Test
    void givesUpWithTheLastFailureOnceTheRetryTimeoutPassed() {
        SerdeConfig config = SerdeConfig.of(server.url()).withRetryTimeout(Duration.ofMillis(700));
        server.respondWith(503, UNAVAILABLE);
        try (SchemaRegistryClient client = SchemaRegistryClient.forConfig(config)) {
            long begin = System.nanoTime();
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                    () -> client.lookup("t-value", Task.getClassSchema()));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
            assertEquals(503, e.httpStatus());
            assertTrue(tookMs >= 600 && tookMs < 5_000, "waited about the retry timeout, took " + tookMs + " ms");
            assertTrue(server.requests().size() >= 3, "backoff from 100 ms: several tries, got "
                    + server.requests().size());
        }
    }

    @Test
    void answersThatDescribeTheRequestAreNotRetried() {
        try (SchemaRegistryClient client = SchemaRegistryClient.forConfig(SerdeConfig.of(server.url()))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.getById(42));
            assertEquals(404, e.httpStatus());
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void zeroFailsAtOnce() {
        SerdeConfig config = SerdeConfig.of(server.url()).withRetryTimeout(Duration.ZERO);
        server.respondWith(500, UNAVAILABLE);
        try (SchemaRegistryClient client = SchemaRegistryClient.forConfig(config)) {
            assertThrows(SchemaRegistryException.class, () -> client.register("t-value", Task.getClassSchema()));
            assertEquals(1, server.requests().size());
        }
    }

    @Test
    void anInterruptEndsTheWait() {
        server.respondWith(503, UNAVAILABLE);
        try (SchemaRegistryClient client = SchemaRegistryClient.forConfig(SerdeConfig.of(server.url()))) {
            Thread.currentThread().interrupt();
            assertThrows(SchemaRegistryException.class, () -> client.register("t-value", Task.getClassSchema()));
            assertTrue(Thread.interrupted(), "the thread stays interrupted");
        }
    }

    @Test
    void aSerdeRidesOutAnOutageAndCachedSchemasNeverWait() {
        try (Serde<TaskResult> serde = AvroSerdes.serde(TaskResult.class, SerdeConfig.of(server.url()))) {
            TaskResult result = Samples.result();
            byte[] bytes = serde.serializer().serialize("results", result);
            assertEquals(result, serde.deserializer().deserialize("results", bytes));
            int before = server.requests().size();
            server.respondWith(503, UNAVAILABLE);
            assertEquals(result, serde.deserializer().deserialize("results", serde.serializer().serialize("results",
                    result)));
            assertEquals(before, server.requests().size(), "known schemas are cached: the outage costs nothing");
        }
    }

    @Test
    void aNewSubjectForAKnownSchemaIsWrittenWithTheKnownIdWhileTheRegistryIsAway() {
        try (SchemaRegistryClient client = SchemaRegistryClient.forConfig(SerdeConfig.of(server.url()))) {
            int id = client.register("worker.w1-value", Task.getClassSchema());
            server.respondWith(503, UNAVAILABLE);
            long begin = System.nanoTime();
            assertEquals(id, client.register("worker.w3-value", Task.getClassSchema()));
            int requests = server.requests().size();
            assertEquals(id, client.register("worker.w3-value", Task.getClassSchema()));
            assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) < 2_000, "no wait for the outage");
            assertEquals(requests, server.requests().size(), "the registry is asked again only after a while");
        }
    }
}
