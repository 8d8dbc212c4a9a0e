package io.kdispatch.schemas.serde;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.embedded.ThreadLeaks;
import io.kdispatch.schemas.Task;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP side of {@link RestSchemaRegistryClient}: threads, redirects, interrupts, charsets. */
class HttpTransportTest {
    private FakeRegistryServer server;
    private RestSchemaRegistryClient client;

    @BeforeEach
    void start() throws Exception {
        server = new FakeRegistryServer();
        client = RestSchemaRegistryClient.create(SerdeConfig.of(server.url()));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    @Test
    void closeLeavesNoThreadOfTheClientOrOfHttpUrlConnectionBehindAndIsIdempotent() {
        Set<Thread> before = ThreadLeaks.snapshot();
        int id = client.register("t-value", Task.getClassSchema());
        try (RestSchemaRegistryClient reader = RestSchemaRegistryClient.create(SerdeConfig.of(server.url()))) {
            assertEquals(Task.getClassSchema(), reader.getById(id));
        }
        assertFalse(keepAliveThreads().isEmpty(), "the connection went back to the JDK's keep-alive cache,"
                + " whose timer thread this test must see end");
        client.close();
        client.close();
        // The JDK's timer ends once its idle connections expire: 10 s after the last request, measured.
        await().pollInSameThread().atMost(Duration.ofSeconds(15))
                .untilAsserted(() -> assertEquals(List.of(), threadsLeftBehind(before)));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client.getById(99));
        assertMessage(e, "is closed");
    }

    @Test
    void anInterruptedThreadFailsWithoutSending() {
        Thread.currentThread().interrupt();
        try {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.getById(1));
            assertMessage(e, "interrupted during schema registry request GET " + server.url() + "/schemas/ids/1");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt stays set for the caller");
        } finally {
            Thread.interrupted();
        }
        assertEquals(List.of(), server.requests());
    }

    @Test
    void aRedirectToAnotherSchemeNamesTheTarget() {
        server.redirectTo(301, "https://registry.example/apis/ccompat/v7/schemas/ids/1");
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.getById(1));
        assertEquals(301, e.httpStatus());
        assertMessage(e, "GET " + server.url() + "/schemas/ids/1 was redirected (HTTP 301) to "
                + "https://registry.example/apis/ccompat/v7/schemas/ids/1; set schema.registry.url");
    }

    @Test
    void aRedirectWithinTheSchemeIsFollowed() throws Exception {
        int id = client.register("t-value", Task.getClassSchema());
        String moved = server.url() + "/schemas/ids/" + id;
        try (FakeRegistryServer front = new FakeRegistryServer();
             RestSchemaRegistryClient viaFront = RestSchemaRegistryClient.create(SerdeConfig.of(front.url()))) {
            front.redirectTo(307, moved);
            assertEquals(Task.getClassSchema(), viaFront.getById(id));
        }
        assertEquals("GET /schemas/ids/" + id, paths().get(1));
    }

    @Test
    void unknownHostSaysUnreachable() {
        SchemaRegistryException e = RegistryErrors.transportFailure("GET", "http://nohost.invalid/schemas/ids/1",
                "http://nohost.invalid", Duration.ofSeconds(10), new UnknownHostException("nohost.invalid"));
        assertMessage(e, "schema registry at http://nohost.invalid is unreachable: unknown host nohost.invalid");
        assertTrue(e.isRetriable());
    }

    @Test
    void decodesTheBodyByItsDeclaredCharset() {
        assertEquals(StandardCharsets.UTF_8, HttpTransport.charsetOf(null));
        assertEquals(StandardCharsets.UTF_8, HttpTransport.charsetOf("application/json"));
        assertEquals(StandardCharsets.ISO_8859_1, HttpTransport.charsetOf("text/html; Charset=\"ISO-8859-1\""));
        assertEquals(StandardCharsets.UTF_8, HttpTransport.charsetOf("text/html; charset=no-such-charset"));
    }

    /**
     * Threads started since {@code before} other than the fake server's, plus the JDK's keep-alive
     * threads: ThreadLeaks forgives those as JVM-wide, but HttpURLConnection started them for us.
     */
    private static List<String> threadsLeftBehind(Set<Thread> before) {
        Stream<String> started = ThreadLeaks.startedSince(before).stream().map(Thread::getName)
                .filter(name -> !name.startsWith(FakeRegistryServer.THREAD_PREFIX));
        return Stream.concat(started, keepAliveThreads().stream()).toList();
    }

    private static List<String> keepAliveThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(name -> name.startsWith("Keep-Alive-"))
                .toList();
    }

    private List<String> paths() {
        return server.requests().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    private static void assertMessage(Exception e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
