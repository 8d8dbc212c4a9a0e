package io.kdispatch.dispatcher.security;

import io.kdispatch.dispatcher.app.TopicProvisioner;
import io.kdispatch.dispatcher.cli.Main;
import io.kdispatch.dispatcher.config.TopicLayout;
import io.kdispatch.embedded.BrokerSecurity;
import io.kdispatch.embedded.EmbeddedKafka;
import io.kdispatch.schemas.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Utils;

/**
 * An embedded broker with SASL/SCRAM-SHA-512 and the standard authorizer, one SCRAM user per kdispatch
 * principal ({@code dispatcher}, {@code submitter}, {@code worker-w1}, {@code worker-w2}) and the super
 * user {@code admin}. {@link #install} applies the ACL recipe for one installation the way an operator
 * does: through {@code acls --apply} with a {@code --config} file for the super user.
 *
 * <p>Shared by the security tests through {@link SecuredClusterExtension}: each test class installs its
 * own topic prefix and application ID, so the grants of one never reach the resources of another.
 */
final class SecuredCluster implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String DISPATCHER = "dispatcher";
    static final String SUBMITTER = "submitter";
    static final List<String> WORKERS = List.of("w1", "w2");

    private final EmbeddedKafka kafka;
    private final Path configDir;

    private SecuredCluster(EmbeddedKafka kafka, Path configDir) {
        this.kafka = kafka;
        this.configDir = configDir;
    }

    /** SCRAM user name of a worker's principal ({@code User:worker-<id>}, the recipe's default). */
    static String worker(String id) {
        return "worker-" + id;
    }

    static SecuredCluster start() {
        BrokerSecurity security = BrokerSecurity.scram(ADMIN, password());
        for (String user : users()) {
            security = security.withUser(user, password());
        }
        EmbeddedKafka kafka = EmbeddedKafka.start(EmbeddedKafka.Options.defaults().withSecurity(security));
        try {
            return new SecuredCluster(kafka, Files.createTempDirectory("kdispatch-secured"));
        } catch (IOException e) {
            kafka.close();
            throw new UncheckedIOException(e);
        }
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    /** Client settings that authenticate as {@code user}. */
    Map<String, Object> clientProperties(String user) {
        return kafka.security().clientProperties(user);
    }

    /** A Kafka client properties file for {@code --config} that authenticates as {@code user}. */
    Path clientConfigFile(String user) {
        Path file = configDir.resolve(user + ".properties");
        StringBuilder text = new StringBuilder();
        clientProperties(user).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        try {
            return Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An admin client authenticated as {@code user}. */
    Admin admin(String user) {
        Map<String, Object> props = new HashMap<>(clientProperties(user));
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /**
     * A fresh installation: its own topic prefix and application ID, the recipe applied for them and for
     * workers w1 and w2 through {@code acls --apply}.
     *
     * @param createTopics whether to create the shared topics (as the super user) before returning
     */
    Installation install(boolean createTopics) throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        Installation installation = new Installation(new Topics("sec" + suffix), "app" + suffix);
        applyRecipe(installation);
        if (createTopics) {
            try (Admin admin = admin(ADMIN)) {
                admin.createTopics(TopicProvisioner.plan(installation.topics(), new TopicLayout(2, (short) 1))).all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
        return installation;
    }

    /** {@code acls --apply} for the installation and workers w1 and w2, as the super user. */
    void applyRecipe(Installation installation) {
        List<String> args = new ArrayList<>(List.of("acls", "--apply", "--bootstrap-servers", bootstrapServers(),
                "--config", clientConfigFile(ADMIN).toString(), "--topic-prefix", installation.topics().prefix(),
                "--application-id", installation.applicationId()));
        WORKERS.forEach(w -> args.addAll(List.of("--worker", w)));
        int status = Main.execute(args.toArray(String[]::new));
        if (status != 0) {
            throw new AssertionError("acls --apply exited with " + status);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            kafka.close();
        } finally {
            Utils.delete(configDir.toFile());
        }
    }

    private static List<String> users() {
        List<String> users = new ArrayList<>(List.of(DISPATCHER, SUBMITTER));
        WORKERS.forEach(w -> users.add(worker(w)));
        return users;
    }

    private static String password() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    /** The names of one installation. */
    record Installation(Topics topics, String applicationId) {
    }
}
