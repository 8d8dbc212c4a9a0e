package io.kdispatch.dispatcher.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdispatch.dispatcher.cli.Main;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * There is no Docker engine here, so {@code docker-compose.yml} is checked statically: it parses, every
 * service has a pinned image or a build with a Dockerfile, mounted files exist, dependencies name real
 * services, and the commands given to our own image are valid command lines of our CLI.
 */
class ComposeFileTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Object> compose = new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
        return (Map<String, Map<String, Object>>) compose.get("services");
    }

    @Test
    void everyServiceHasAPinnedImageOrABuildAndAHealthCheckWhereOthersWaitOnIt() throws IOException {
        Map<String, Map<String, Object>> services = services();
        assertThat(services).containsKeys("kafka", "registry", "dispatcher", "worker-1", "worker-2", "prometheus");
        services.forEach((name, service) -> {
            if (service.containsKey("image")) {
                String image = (String) service.get("image");
                assertThat(image).as(name).contains(":").doesNotEndWith(":latest");
            } else {
                assertThat(service.get("build")).as(name + " build").isEqualTo(".");
                assertThat(ROOT.resolve("Dockerfile")).exists();
            }
        });
        for (Map<String, Object> service : services.values()) {
            Object deps = service.get("depends_on");
            if (deps instanceof Map<?, ?> conditions) {
                conditions.forEach((dep, condition) -> {
                    assertThat(services).containsKey((String) dep);
                    if (condition.toString().contains("service_healthy")) {
                        assertThat(services.get(dep)).as(dep + " healthcheck").containsKey("healthcheck");
                    }
                });
            } else if (deps instanceof List<?> list) {
                assertThat(services.keySet()).containsAll(list.stream().map(Object::toString).toList());
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void ourServicesRunValidCommandLinesAndPrometheusScrapesTheAdminPort() throws IOException {
        Map<String, Map<String, Object>> services = services();
        for (String name : List.of("dispatcher", "worker-1", "worker-2")) {
            List<String> command = (List<String>) services.get(name).get("command");
            // parseArgs throws on an unknown flag or a missing required option.
            Main.commandLine().parseArgs(command.toArray(String[]::new));
        }
        List<String> dispatcher = (List<String>) services.get("dispatcher").get("command");
        String adminPort = dispatcher.get(dispatcher.indexOf("--admin-port") + 1);
        Map<String, Object> prometheus = new Yaml().load(Files.readString(
                ROOT.resolve("ops/prometheus/prometheus.yml")));
        assertThat(prometheus.toString()).contains("dispatcher:" + adminPort);
        for (Object volume : (List<Object>) services.get("prometheus").get("volumes")) {
            String host = volume.toString().split(":")[0];
            assertThat(ROOT.resolve(host)).as(host).exists();
        }
    }
}
