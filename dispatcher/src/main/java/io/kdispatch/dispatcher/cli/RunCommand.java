package io.kdispatch.dispatcher.cli;

import io.kdispatch.dispatcher.app.DispatcherService;
import io.kdispatch.dispatcher.config.DispatcherConfig;
import io.kdispatch.dispatcher.config.DispatcherConfigParser;
import io.kdispatch.dispatcher.config.Settings;
import io.kdispatch.dispatcher.lag.LagSettings;
import io.kdispatch.schemas.serde.SerdeConfig;
import io.kdispatch.schemas.startup.StartupException;
import io.kdispatch.schemas.startup.StartupWait;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs one dispatcher instance until SIGTERM/Ctrl-C. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the dispatcher (a Kafka Streams application). Start more instances with the same "
                + "application.id to scale out.")
final class RunCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster;

    @Mixin
    WaitOption startup;

    @Mixin
    ShutdownOption shutdown;

    @Mixin
    CapacityOptions capacity;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file; see the configuration reference in README.md.")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--admin-host", defaultValue = "127.0.0.1",
            description = "Address of the admin HTTP endpoint (/metrics, /health) (default: ${DEFAULT-VALUE}).")
    String adminHost;

    @Option(names = "--admin-port", defaultValue = "8080", description = "Its port; 0 picks a free one "
            + "(default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Bearer token that PUT/POST /config must present; without it (or admin.token in --config) "
                    + "the admin endpoint refuses writes.")
    String adminToken;

    private static final Duration RUNNING_WARNING_AFTER = Duration.ofMinutes(2);

    /** The admin endpoint's, not the dispatcher's: taken out before the rest is parsed. */
    static final String ADMIN_TOKEN = Settings.ADMIN_TOKEN.key();

    @Override
    public Integer call() throws Exception {
        Map<String, String> props = properties();
        String token = adminToken != null ? adminToken : props.get(ADMIN_TOKEN);
        props.remove(ADMIN_TOKEN);
        DispatcherConfig config = DispatcherConfigParser.parse(props);
        StartupWait wait = startup.startupWait("dispatcher " + config.applicationId());
        try (ShutdownSignal signal = shutdown.signal();
             DispatcherService dispatcher = new DispatcherService(config, adminHost, adminPort,
                     LagSettings.defaults(), capacity.settings())) {
            signal.onStop(wait::cancel);
            if (token != null && !token.isBlank()) {
                dispatcher.enableConfigWrites(token);
            }
            if (!start(dispatcher, wait, signal)) {
                return 0; // stopped while waiting to start: nothing ran, nothing to drain
            }
            System.out.printf("dispatcher running: application.id=%s bootstrap=%s topics=%s.* admin=%s%n",
                    config.applicationId(), config.bootstrapServers(), config.topics().prefix(),
                    dispatcher.adminUrl());
            signal.await();
            System.out.println("dispatcher stopping");
            return dispatcher.stop(signal.drainTimeout()) ? 0 : 1;
        }
    }

    /**
     * Starts (waiting for the cluster and the registry), then waits for RUNNING, warning when that takes
     * long; a stop signal ends both waits.
     *
     * @return false when stopped before the dispatcher started
     */
    private static boolean start(DispatcherService dispatcher, StartupWait wait, ShutdownSignal signal)
            throws InterruptedException {
        try {
            dispatcher.start(wait);
        } catch (StartupException e) {
            if (e.stopped()) {
                System.out.println(e.getMessage());
                return false;
            }
            throw e;
        }
        long deadline = System.nanoTime() + RUNNING_WARNING_AFTER.toNanos();
        while (!dispatcher.awaitRunning(Duration.ofMillis(200)) && !signal.stopRequested()) {
            if (System.nanoTime() - deadline > 0) {
                System.err.println("warning: dispatcher not RUNNING after " + StartupWait.format(RUNNING_WARNING_AFTER)
                        + " (state " + dispatcher.dispatcher().state() + ")");
                break;
            }
        }
        return true;
    }

    private Map<String, String> properties() throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        if (configFile != null) {
            Properties file = new Properties();
            try (Reader in = Files.newBufferedReader(configFile)) {
                file.load(in);
            }
            file.forEach((k, v) -> props.put(k.toString(), v.toString()));
        }
        props.put(Settings.BOOTSTRAP_SERVERS.key(), cluster.bootstrapServers);
        props.putAll(cluster.serdes().toMap().entrySet().stream()
                .filter(e -> e.getValue() != null && !e.getKey().equals(SerdeConfig.AUTO_REGISTER)
                        && !e.getKey().equals(SerdeConfig.REQUEST_TIMEOUT_MS)
                        && !e.getKey().equals(SerdeConfig.RETRY_TIMEOUT_MS))
                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> e.getValue().toString())));
        props.putIfAbsent(Settings.TOPIC_PREFIX.key(), cluster.topicPrefix);
        props.putAll(overrides);
        return props;
    }
}
