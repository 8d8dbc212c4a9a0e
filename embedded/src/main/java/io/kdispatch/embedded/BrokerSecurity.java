package io.kdispatch.embedded;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Authentication and authorization for {@link EmbeddedKafka}: SASL/SCRAM-SHA-512 on the client
 * listener, Kafka's {@code StandardAuthorizer} with {@code allow.everyone.if.no.acl.found=false}, and
 * one super user that the broker itself and administrators use.
 *
 * <p>How the node is wired: the client listener (also the inter-broker listener, which a single node
 * needs for its own transaction markers) is {@code SASL_PLAINTEXT} with SCRAM-SHA-512, and the broker
 * authenticates to itself there as the super user. The controller listener is {@code SASL_PLAINTEXT}
 * with PLAIN, whose only user is the super user: SCRAM credentials live in the metadata log, which
 * the controller listener must already serve before that log is loaded. Both listeners bind
 * 127.0.0.1. Every SCRAM credential (super user and {@link #users()}) is written into the metadata
 * log when the storage is formatted (KIP-900, as {@code kafka-storage format --add-scram} does), so
 * nothing authenticates before its credential exists. A kept data directory keeps the credentials of
 * its first start; later changes to the users need {@code Admin.alterUserScramCredentials}.
 *
 * <p>Names are limited to {@code [A-Za-z0-9._-]} and passwords to {@code [A-Za-z0-9._~+/=-]}: both
 * end up inside a JAAS line and a {@code --add-scram} argument, where quotes and commas would need
 * escaping that the two formats do differently.
 *
 * @param superUser         the super user's name (principal {@code User:<superUser>})
 * @param superUserPassword its password
 * @param users             further SCRAM users, name to password; they get no rights but those ACLs grant
 */
public record BrokerSecurity(String superUser, String superUserPassword, Map<String, String> users) {

    /** The SASL mechanism of the client listener. */
    public static final String MECHANISM = "SCRAM-SHA-512";
    /** The security protocol clients use. */
    public static final String PROTOCOL = "SASL_PLAINTEXT";
    /** The authorizer of a KRaft node. */
    public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

    static final String CLIENT_LISTENER = "SASL_PLAINTEXT";
    private static final String SCRAM_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule";
    private static final String PLAIN_MODULE = "org.apache.kafka.common.security.plain.PlainLoginModule";

    /**
     * Broker keys this class sets, besides every {@code listener.name.*} key; {@link EmbeddedKafka.Options}
     * refuses overrides of them when security is on.
     */
    static final Set<String> RESERVED = Set.of("authorizer.class.name", "super.users",
            "allow.everyone.if.no.acl.found", "sasl.mechanism.inter.broker.protocol",
            "sasl.mechanism.controller.protocol");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,200}");
    private static final Pattern PASSWORD = Pattern.compile("[A-Za-z0-9._~+/=-]{1,200}");

    /** Validates the names and passwords; {@code users} may be {@code null} (no further users). */
    public BrokerSecurity {
        check("superUser", superUser, NAME, false);
        check("superUserPassword", superUserPassword, PASSWORD, true);
        users = users == null ? Map.of() : Map.copyOf(users);
        users.forEach((name, password) -> {
            check("user name", name, NAME, false);
            check("password of " + name, password, PASSWORD, true);
        });
        if (users.containsKey(superUser)) {
            throw new IllegalArgumentException("users must not repeat the super user " + superUser);
        }
    }

    /** SCRAM with only a super user. */
    public static BrokerSecurity scram(String superUser, String superUserPassword) {
        return new BrokerSecurity(superUser, superUserPassword, Map.of());
    }

    /** A copy with one more SCRAM user (or a new password for an existing one). */
    public BrokerSecurity withUser(String name, String password) {
        Map<String, String> more = new LinkedHashMap<>(users);
        more.put(name, password);
        return new BrokerSecurity(superUser, superUserPassword, more);
    }

    /**
     * Client settings that authenticate as {@code user} (the super user or one of {@link #users()}):
     * {@code security.protocol}, {@code sasl.mechanism} and {@code sasl.jaas.config}.
     *
     * @throws IllegalArgumentException for a user this broker does not know
     */
    public Map<String, Object> clientProperties(String user) {
        String password = user.equals(superUser) ? superUserPassword : users.get(user);
        if (password == null) {
            throw new IllegalArgumentException("unknown SCRAM user " + user + "; known: " + superUser + " and "
                    + users.keySet());
        }
        return scramClientProperties(user, password);
    }

    /** Client settings that authenticate with SASL/SCRAM-SHA-512 as {@code user}. */
    public static Map<String, Object> scramClientProperties(String user, String password) {
        return Map.of("security.protocol", PROTOCOL, "sasl.mechanism", MECHANISM,
                "sasl.jaas.config", jaas(SCRAM_MODULE, user, password, ""));
    }

    /** The broker settings besides the listeners, which {@link BrokerSettings} wires. */
    Map<String, String> brokerSettings(String controllerListener) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("authorizer.class.name", AUTHORIZER);
        settings.put("super.users", "User:" + superUser);
        // The default already, stated because the whole point is that nothing is allowed by omission.
        settings.put("allow.everyone.if.no.acl.found", "false");
        settings.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        settings.put("sasl.mechanism.controller.protocol", "PLAIN");
        String client = "listener.name." + CLIENT_LISTENER.toLowerCase();
        settings.put(client + ".sasl.enabled.mechanisms", MECHANISM);
        settings.put(client + "." + MECHANISM.toLowerCase() + ".sasl.jaas.config", jaas(SCRAM_MODULE, superUser,
                superUserPassword, ""));
        String controller = "listener.name." + controllerListener.toLowerCase();
        settings.put(controller + ".sasl.enabled.mechanisms", "PLAIN");
        // PLAIN's server side lists its users in the JAAS line itself: the super user is the only one.
        settings.put(controller + ".plain.sasl.jaas.config", jaas(PLAIN_MODULE, superUser, superUserPassword,
                " user_" + superUser + "=\"" + superUserPassword + "\""));
        return settings;
    }

    /** The {@code --add-scram} arguments of the storage format: every user's credential. */
    List<String> scramArguments() {
        List<String> arguments = new ArrayList<>();
        arguments.add(scramArgument(superUser, superUserPassword));
        users.forEach((name, password) -> arguments.add(scramArgument(name, password)));
        return arguments;
    }

    private static String scramArgument(String name, String password) {
        return MECHANISM + "=[name=" + name + ",password=\"" + password + "\"]";
    }

    private static String jaas(String module, String user, String password, String more) {
        return module + " required username=\"" + user + "\" password=\"" + password + "\"" + more + ";";
    }

    /** @param secret whether the value must stay out of the message (a password) */
    private static void check(String what, String value, Pattern allowed, boolean secret) {
        Objects.requireNonNull(value, what + " must not be null");
        if (!allowed.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must match " + allowed.pattern()
                    + (secret ? "" : ", was '" + value + "'"));
        }
    }

    /** Hides the passwords. */
    @Override
    public String toString() {
        return "BrokerSecurity[" + MECHANISM + ", superUser=" + superUser + ", users=" + users.keySet() + "]";
    }
}
