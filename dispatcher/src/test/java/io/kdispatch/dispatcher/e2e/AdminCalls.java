package io.kdispatch.dispatcher.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.app.TopicProvisioner;
import io.kdispatch.dispatcher.cli.Main;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;

/** What an operator does from outside: the CLI, the admin endpoint, creating the topics. */
final class AdminCalls {
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminCalls() {
    }

    /** A CLI run: exit status, standard output and standard error. */
    record Cli(int status, String out, String err) {
    }

    /** Runs {@code dispatcher <command...> <cluster...>} in this JVM, as the executable jar would. */
    static Cli cli(String[] cluster, String... command) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Main.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        List<String> args = new ArrayList<>(List.of(command));
        // Options go after the subcommand path: config set KEY=VALUE --bootstrap-servers ...
        args.addAll(List.of(cluster));
        int status = cmd.execute(args.toArray(String[]::new));
        return new Cli(status, out.toString(), err.toString());
    }

    /** {@code GET path} on the admin endpoint, which must answer 200. */
    static JsonNode get(DispatcherService service, String path) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(service.adminUrl() + path).toURL().openConnection();
        assertThat(c.getResponseCode()).as("GET %s", path).isEqualTo(200);
        try (InputStream in = c.getInputStream()) {
            return JSON.readTree(in);
        }
    }

    /** Creates the topics; {@link TopicProvisioner#ensure} returns once the broker serves their metadata. */
    static void awaitTopics(Stack stack) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.bootstrapServers))) {
            new TopicProvisioner(admin).ensure(stack.topics, stack.config().topicLayout());
        }
    }
}
