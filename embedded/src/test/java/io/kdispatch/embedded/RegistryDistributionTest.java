package io.kdispatch.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryDistributionTest {

    private static final String VERSION = "9.9.9-test";
    private static final String RUNNER_JAR = "apicurio-registry-app-" + VERSION + "-runner.jar";

    @TempDir
    Path temp;

    @Test
    void theBuildPinsTheRegistryVersion() {
        assertFalse(RegistryDistribution.fromEnvironment().version().contains("$"));
    }

    @Test
    void unfilteredCoordinatesAreRefused() {
        Properties unfiltered = coordinates();
        unfiltered.setProperty("registry.version", "${apicurio.version}");

        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> new RegistryDistribution(unfiltered, key -> null, key -> null, temp));

        assertTrue(error.getMessage().contains("rebuild the embedded module"), error.getMessage());
    }

    @Test
    void homeWithoutTheRunnerJarIsRefusedNamingThePath() {
        RegistryDistribution distribution = distribution(Map.of(RegistryDistribution.HOME_PROPERTY, temp.toString()));

        IllegalStateException error = assertThrows(IllegalStateException.class, distribution::locateRunnerJar);

        assertTrue(error.getMessage().contains(temp.toString()), error.getMessage());
        assertTrue(error.getMessage().contains(RUNNER_JAR), error.getMessage());
    }

    @Test
    void homeWithTheRunnerJarIsUsedAsIs() throws IOException {
        Files.writeString(temp.resolve(RUNNER_JAR), "jar");
        RegistryDistribution distribution = distribution(Map.of(RegistryDistribution.HOME_PROPERTY, temp.toString()));

        assertEquals(temp.resolve(RUNNER_JAR), distribution.locateRunnerJar());
    }

    @Test
    void missingDistributionSaysWhereItLookedAndHowToFetchIt() {
        RegistryDistribution distribution = distribution(Map.of());

        IllegalStateException error = assertThrows(IllegalStateException.class, distribution::locateRunnerJar);

        assertTrue(error.getMessage().contains(distribution.archiveInLocalRepository().toString()), error.getMessage());
        assertTrue(error.getMessage().contains("mvn -pl embedded package"), error.getMessage());
    }

    @Test
    void archiveInTheLocalRepositoryIsUnpackedIntoTheCacheOnce() throws IOException {
        RegistryDistribution distribution = distribution(Map.of());
        Path archive = distribution.archiveInLocalRepository();
        writeTarGz(archive, Map.of(RUNNER_JAR, "runner", "lib/dependency.jar", "dependency"));

        Path runnerJar = distribution.locateRunnerJar();
        Files.delete(archive);

        assertEquals(distribution.cacheDir().resolve(RUNNER_JAR), runnerJar);
        assertEquals("dependency", Files.readString(distribution.cacheDir().resolve("lib/dependency.jar")));
        assertEquals(runnerJar, distribution.locateRunnerJar(), "the cached copy is reused");
        assertEquals(1, entries(distribution.cacheDir().getParent()), "no staging directory is left behind");
    }

    @Test
    void losingTheUnpackRaceKeepsTheWinnersCopy() throws IOException {
        Path archive = temp.resolve("dist.tar.gz");
        writeTarGz(archive, Map.of(RUNNER_JAR, "mine"));
        Path target = Files.createDirectories(temp.resolve("cache/target"));
        Files.writeString(target.resolve(RUNNER_JAR), "winner");

        RegistryDistribution.unpackOnce(archive, target);

        assertEquals("winner", Files.readString(target.resolve(RUNNER_JAR)));
        assertEquals(1, entries(target.getParent()), "no staging directory is left behind");
    }

    @Test
    void entriesEscapingTheTargetAreRefused() throws IOException {
        Path archive = temp.resolve("evil.tar.gz");
        writeTarGz(archive, Map.of("../escaped.txt", "evil"));
        Path target = temp.resolve("cache/target");

        assertThrows(UncheckedIOException.class, () -> RegistryDistribution.unpackOnce(archive, target));

        assertFalse(Files.exists(temp.resolve("cache/escaped.txt")));
        assertFalse(Files.exists(target));
        assertEquals(0, entries(target.getParent()), "no staging directory is left behind");
    }

    private RegistryDistribution distribution(Map<String, String> systemProperties) {
        Map<String, String> properties = new HashMap<>(systemProperties);
        properties.put("maven.repo.local", temp.resolve("repository").toString());
        return new RegistryDistribution(coordinates(), properties::get, key -> null, temp.resolve("home"));
    }

    private static Properties coordinates() {
        Properties properties = new Properties();
        properties.setProperty("registry.groupId", "io.apicurio");
        properties.setProperty("registry.artifactId", "apicurio-registry-app");
        properties.setProperty("registry.version", VERSION);
        return properties;
    }

    private static void writeTarGz(Path archive, Map<String, String> files) throws IOException {
        Files.createDirectories(archive.getParent());
        try (OutputStream out = Files.newOutputStream(archive);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GzipCompressorOutputStream(out))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] content = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey(), true);
                entry.setSize(content.length);
                tar.putArchiveEntry(entry);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
    }

    private static long entries(Path dir) throws IOException {
        try (Stream<Path> children = Files.list(dir)) {
            return children.count();
        }
    }
}
