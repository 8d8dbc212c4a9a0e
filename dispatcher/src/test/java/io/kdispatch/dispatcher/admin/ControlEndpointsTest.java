package io.kdispatch.dispatcher.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** HTTP behaviour of the control endpoints: authorization, body validation, and what reaches the API. */
class ControlEndpointsTest {
    private final List<String> writes = new CopyOnWriteArrayList<>();
    private volatile String token;
    private AdminServer server;

    @BeforeEach
    void start() throws Exception {
        server = new AdminServer("127.0.0.1", 0, () -> "", () -> new AdminServer.Health(true, "RUNNING"),
                (id, local) -> new AdminServer.Reply(404, "{}"));
        ControlEndpoints.register(server, new ControlEndpoints.ControlApi() {
            @Override
            public AdminServer.Reply config() {
                return new AdminServer.Reply(200, "{\"routing\":{}}");
            }

            @Override
            public AdminServer.Reply workers() {
                return new AdminServer.Reply(200, "{\"workers\":[]}");
            }

            @Override
            public AdminServer.Reply write(String key, String value, String issuedBy) {
                writes.add(key + "=" + value + " by " + issuedBy);
                return new AdminServer.Reply(200, "{}");
            }

            @Override
            public String writeToken() {
                return token;
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readsNeedNoToken() throws Exception {
        assertThat(call("GET", "/config", null, null)).isEqualTo("200 {\"routing\":{}}");
        assertThat(call("GET", "/workers", null, null)).isEqualTo("200 {\"workers\":[]}");
        assertThat(call("DELETE", "/config", null, null)).startsWith("405");
    }

    @Test
    void withoutAConfiguredTokenEveryWriteIsRefusedWithHowToEnableIt() throws Exception {
        String reply = call("PUT", "/config", "anything", "{\"key\":\"routing.strategy\",\"value\":\"auto\"}");
        assertThat(reply).startsWith("403").contains("--admin-token");
        assertThat(writes).isEmpty();
    }

    @Test
    void aWriteNeedsTheRightBearerTokenAndAWellFormedBody() throws Exception {
        token = "t0ken";
        String body = "{\"key\":\"routing.strategy\",\"value\":\"auto\",\"by\":\"bob\"}";
        assertThat(call("PUT", "/config", null, body)).startsWith("401");
        assertThat(call("PUT", "/config", "wrong", body)).startsWith("401");
        assertThat(call("POST", "/config", "t0ken", "{not json")).startsWith("400").contains("not valid JSON");
        assertThat(call("POST", "/config", "t0ken", "{\"key\":\"a\"}")).startsWith("400").contains("expected {");
        assertThat(writes).isEmpty();
        assertThat(call("PUT", "/config", "t0ken", body)).startsWith("200");
        assertThat(call("POST", "/config", "t0ken", "{\"key\":\"flag.x\",\"value\":null}")).startsWith("200");
        assertThat(writes).containsExactly("routing.strategy=auto by bob", "flag.x=null by admin-api@127.0.0.1");
    }

    private String call(String method, String path, String bearer, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(server.url() + path).toURL().openConnection();
        c.setRequestMethod(method);
        if (bearer != null) {
            c.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        if (body != null) {
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            return status + " " + (in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
