package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.schemas.Task;
import io.kdispatch.schemas.TaskResult;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestSchemaRegistryClientTest {
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
    void registersWithTheProtocolsPathContentTypeAndBody() throws Exception {
        int id = client.register("dispatch.tasks-value", Task.getClassSchema());
        FakeRegistryServer.Request request = server.requests().get(0);
        assertEquals("POST", request.method());
        assertEquals("/subjects/dispatch.tasks-value/versions", request.path());
        assertEquals("application/vnd.schemaregistry.v1+json", request.header("Content-Type"));
        assertTrue(request.header("Accept").startsWith("application/vnd.schemaregistry.v1+json"));
        assertNull(request.header("Authorization"));
        JsonNode body = new ObjectMapper().readTree(request.body());
        assertEquals(Task.getClassSchema().toString(), body.path("schema").asText());
        assertFalse(body.has("schemaType"), "AVRO is the protocol default");
        assertEquals(1, id);
    }

    @Test
    void looksUpAndFetchesById() {
        int registered = client.register("results-value", TaskResult.getClassSchema());
        try (RestSchemaRegistryClient fresh = RestSchemaRegistryClient.create(SerdeConfig.of(server.url()))) {
            assertEquals(registered, fresh.lookup("results-value", TaskResult.getClassSchema()));
            try (RestSchemaRegistryClient another = RestSchemaRegistryClient.create(SerdeConfig.of(server.url()))) {
                assertEquals(TaskResult.getClassSchema(), another.getById(registered));
            }
        }
        assertEquals(List.of("POST /subjects/results-value/versions", "POST /subjects/results-value",
                "GET /schemas/ids/" + registered), paths());
    }

    @Test
    void cachesSoRepeatedCallsDoNotReachTheServer() {
        int id = client.register("t-value", Task.getClassSchema());
        assertEquals(id, client.register("t-value", Task.getClassSchema()));
        assertEquals(Task.getClassSchema(), client.getById(id));
        assertEquals(1, server.requests().size(), "register fills both caches");

        try (RestSchemaRegistryClient reader = RestSchemaRegistryClient.create(SerdeConfig.of(server.url()))) {
            reader.getById(id);
            reader.getById(id);
            reader.lookup("t-value", Task.getClassSchema());
            reader.lookup("t-value", Task.getClassSchema());
        }
        assertEquals(List.of("POST /subjects/t-value/versions", "GET /schemas/ids/" + id, "POST /subjects/t-value"),
                paths());
    }

    @Test
    void encodesSubjectsInThePath() {
        client.register("my topic/ü-value", Task.getClassSchema());
        assertEquals("/subjects/my%20topic%2F%C3%BC-value/versions", server.requests().get(0).path());
        assertEquals(1, client.lookup("my topic/ü-value", Task.getClassSchema()));
    }

    @Test
    void sendsBasicAuth() {
        String expected = "Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes());
        server.requireAuthorization(expected);
        try (RestSchemaRegistryClient authed = new RestSchemaRegistryClient(
                new SerdeConfig(server.url(), "alice:s3cret", null, true, null, null), Duration.ofSeconds(5))) {
            assertEquals(1, authed.register("t-value", Task.getClassSchema()));
        }
        assertEquals(expected, server.requests().get(0).header("Authorization"));
    }

    @Test
    void sendsBearerToken() {
        server.requireAuthorization("Bearer tok3n");
        try (RestSchemaRegistryClient authed = RestSchemaRegistryClient.create(
                new SerdeConfig(server.url(), null, "tok3n", true, null, null))) {
            assertEquals(1, authed.register("t-value", Task.getClassSchema()));
        }
    }

    @Test
    void unauthorizedSaysWhichSettingToCheck() {
        server.requireAuthorization("Bearer right");
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.register("t-value", Task.getClassSchema()));
        assertEquals(401, e.httpStatus());
        assertMessage(e, "HTTP 401, error_code 40101, message: Unauthorized");
        assertMessage(e, "check schema.registry.basic.auth.user.info or schema.registry.bearer.auth.token");
    }

    @Test
    void unknownIdIs404WithTheRegistrysErrorCode() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.getById(77));
        assertEquals(404, e.httpStatus());
        assertEquals(40403, e.errorCode());
        assertTrue(e.isNotFound());
        assertMessage(e, "schema registry request GET " + server.url() + "/schemas/ids/77 failed: HTTP 404, "
                + "error_code 40403, message: Schema 77 not found");
    }

    @Test
    void lookupOfAnUnknownSubjectIs404() {
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.lookup("nope-value", Task.getClassSchema()));
        assertEquals(40401, e.errorCode());
        assertMessage(e, "POST " + server.url() + "/subjects/nope-value failed: HTTP 404, error_code 40401");
    }

    @Test
    void wrongBasePathGetsAHint() {
        try (RestSchemaRegistryClient wrong = RestSchemaRegistryClient.create(
                SerdeConfig.of(server.url() + "/not-the-api"))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> wrong.getById(1));
            assertMessage(e, "HTTP 404, body: <html><body>Not Found</body></html>");
            assertMessage(e, "is schema.registry.url the API root? for Apicurio it ends in /apis/ccompat/v7");
        }
    }

    @Test
    void incompatibleSchemaIs409() {
        server.respondWith(409, "{\"error_code\":409,\"message\":\"Schema being registered is incompatible with"
                + " an earlier schema for subject \\\"t-value\\\"\"}");
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client.register("t-value", Task.getClassSchema()));
        assertEquals(409, e.httpStatus());
        assertFalse(e.isRetriable());
        assertMessage(e, "POST " + server.url() + "/subjects/t-value/versions failed: HTTP 409, error_code 409, "
                + "message: Schema being registered is incompatible with an earlier schema for subject \"t-value\"");
        assertMessage(e, "incompatible schema");
    }

    @Test
    void losingARegistrationRaceIsNotAnError() {
        // Apicurio answers 409 to the second of two clients registering the same new subject at once.
        int id;
        try (RestSchemaRegistryClient winner = RestSchemaRegistryClient.create(SerdeConfig.of(server.url()))) {
            id = winner.register("t-value", Task.getClassSchema());
        }
        server.respondOnceWith(409, "{\"error_code\":409,\"message\":\"An artifact with ID 't-value' already"
                + " exists.\"}");
        assertEquals(id, client.register("t-value", Task.getClassSchema()));
    }

    @Test
    void serverErrorIs500AndRetriable() {
        server.respondWith(500, "{\"error_code\":50001,\"message\":\"Error in the backend data store\"}");
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.getById(1));
        assertEquals(500, e.httpStatus());
        assertEquals(50001, e.errorCode());
        assertTrue(e.isRetriable());
        assertMessage(e, "HTTP 500, error_code 50001, message: Error in the backend data store");
    }

    @Test
    void nonAvroSchemaIsUnknown() {
        server.respondWith(200, "{\"schema\":\"syntax = \\\"proto3\\\";\",\"schemaType\":\"PROTOBUF\"}");
        UnknownSchemaException e = assertThrows(UnknownSchemaException.class, () -> client.getById(5));
        assertMessage(e, "schema id 5 at " + server.url() + " is a PROTOBUF schema, not Avro");
    }

    @Test
    void connectionRefusedSaysUnreachable() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "http://127.0.0.1:" + closedPort;
        try (RestSchemaRegistryClient unreachable = RestSchemaRegistryClient.create(SerdeConfig.of(url))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> unreachable.getById(1));
            assertEquals(SchemaRegistryException.NO_RESPONSE, e.httpStatus());
            assertTrue(e.isRetriable());
            assertMessage(e, "schema registry at " + url + " is unreachable: ");
            assertTrue(e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("connection refused"), e.getMessage());
        }
    }

    @Test
    void slowRegistryTimesOut() {
        server.holdRequests();
        try (RestSchemaRegistryClient impatient = RestSchemaRegistryClient.create(new SerdeConfig(
                server.url(), null, null, true, null, Duration.ofMillis(300)))) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> impatient.getById(1));
            assertMessage(e, "did not answer GET " + server.url() + "/schemas/ids/1 within 300 ms "
                    + "(schema.registry.request.timeout.ms)");
        } finally {
            server.release();
        }
    }

    @Test
    void serdeRoundTripsOverRest() {
        SerdeConfig config = SerdeConfig.of(server.url());
        byte[] bytes;
        try (Serde<Task> writer = AvroSerdes.serde(Task.class, config)) {
            bytes = writer.serializer().serialize("dispatch.tasks", Samples.task());
        }
        try (Serde<Task> reader = AvroSerdes.serde(Task.class, config)) {
            assertEquals(Samples.task(), reader.deserializer().deserialize("dispatch.tasks", bytes));
        }
        assertEquals(List.of("POST /subjects/dispatch.tasks-value/versions", "GET /schemas/ids/1"), paths());
    }

    @Test
    void deserializerTurnsA404IntoUnknownSchema() {
        try (Serde<Task> serde = AvroSerdes.serde(Task.class, SerdeConfig.of(server.url()))) {
            UnknownSchemaException e = assertThrows(UnknownSchemaException.class,
                    () -> serde.deserializer().deserialize("t", new byte[] {0, 0, 0, 0, 9, 2}));
            assertMessage(e, "schema id 9 in a record from topic 't' is not in the registry: ");
            assertMessage(e, "HTTP 404, error_code 40403");
        }
    }

    @Test
    void refusesMockUrls() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RestSchemaRegistryClient.create(SerdeConfig.of("mock://x")));
        assertMessage(e, "selects the in-memory registry");
        assertInstanceOf(InMemorySchemaRegistryClient.class, SchemaRegistryClient.forConfig(SerdeConfig.of("mock://x")));
        InMemorySchemaRegistryClient.dropScope("x");
    }

    private List<String> paths() {
        return server.requests().stream().map(r -> r.method() + " " + r.path()).toList();
    }

    private static void assertMessage(Exception e, String expected) {
        assertTrue(e.getMessage().contains(expected), () -> "expected '" + expected + "' in: " + e.getMessage());
    }
}
