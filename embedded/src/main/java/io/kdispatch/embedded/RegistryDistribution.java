package io.kdispatch.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;
import java.util.function.UnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the Apicurio Registry distribution (a Quarkus runner jar next to its {@code lib/}).
 *
 * <p>Lookup order: the system property {@value #HOME_PROPERTY}, then the environment variable
 * {@value #HOME_ENV} (each naming an unpacked distribution), then the cache directory
 * {@code ~/.cache/kdispatch/apicurio-registry-<version>}, then the {@code tar.gz:all} artifact in
 * the local Maven repository ({@code maven.repo.local} or {@code ~/.m2/repository}), which is
 * unpacked into the cache once. Unpacking goes to a sibling directory that is renamed atomically,
 * so concurrent JVMs never see a half-written cache.
 */
final class RegistryDistribution {

    static final String HOME_PROPERTY = "kdispatch.registry.home";
    static final String HOME_ENV = "KDISPATCH_REGISTRY_HOME";
    private static final Logger LOG = LoggerFactory.getLogger(RegistryDistribution.class);
    private static final String COORDINATES = "/io/kdispatch/embedded/registry.properties";

    private final String groupId;
    private final String artifactId;
    private final String version;
    private final UnaryOperator<String> systemProperties;
    private final UnaryOperator<String> environment;
    private final Path userHome;

    RegistryDistribution(Properties coordinates, UnaryOperator<String> systemProperties,
                         UnaryOperator<String> environment, Path userHome) {
        this.groupId = coordinates.getProperty("registry.groupId");
        this.artifactId = coordinates.getProperty("registry.artifactId");
        this.version = coordinates.getProperty("registry.version");
        if (groupId == null || artifactId == null || version == null || version.contains("${")) {
            throw new IllegalStateException(COORDINATES + " is not filtered with the registry coordinates ("
                    + coordinates + "): rebuild the embedded module with Maven");
        }
        this.systemProperties = systemProperties;
        this.environment = environment;
        this.userHome = userHome;
    }

    /** The distribution as configured for this JVM (system properties, environment, home). */
    static RegistryDistribution fromEnvironment() {
        return new RegistryDistribution(pinnedCoordinates(), System::getProperty, System::getenv,
                Path.of(System.getProperty("user.home")));
    }

    String version() {
        return version;
    }

    /**
     * Returns the runner jar, unpacking the distribution from the local Maven repository first
     * if needed.
     *
     * @throws IllegalStateException saying where it looked and how to fetch the distribution
     */
    Path locateRunnerJar() {
        String home = firstNonBlank(systemProperties.apply(HOME_PROPERTY), environment.apply(HOME_ENV));
        if (home != null) {
            Path jar = Path.of(home).resolve(runnerJarName());
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(HOME_PROPERTY + " / " + HOME_ENV + " points to " + home
                        + ", which holds no " + runnerJarName() + ": point it at an unpacked "
                        + artifactId + " " + version + " distribution");
            }
            return jar;
        }
        Path cached = cacheDir().resolve(runnerJarName());
        if (Files.isRegularFile(cached)) {
            return cached;
        }
        Path archive = archiveInLocalRepository();
        if (!Files.isRegularFile(archive)) {
            throw new IllegalStateException(notFoundMessage(archive));
        }
        unpackOnce(archive, cacheDir());
        return cached;
    }

    Path cacheDir() {
        return userHome.resolve(".cache").resolve("kdispatch").resolve("apicurio-registry-" + version);
    }

    Path archiveInLocalRepository() {
        String configured = systemProperties.apply("maven.repo.local");
        Path repository = configured != null && !configured.isBlank()
                ? Path.of(configured) : userHome.resolve(".m2").resolve("repository");
        return repository.resolve(groupId.replace('.', '/')).resolve(artifactId).resolve(version)
                .resolve(artifactId + "-" + version + "-all.tar.gz");
    }

    private String runnerJarName() {
        return artifactId + "-" + version + "-runner.jar";
    }

    private String notFoundMessage(Path archive) {
        return "Apicurio Registry " + version + " distribution not found. Looked for: system property "
                + HOME_PROPERTY + " and environment variable " + HOME_ENV + " (both unset), "
                + cacheDir() + " (absent), " + archive + " (absent). Fetch it with `mvn -pl embedded package`"
                + " (it copies " + groupId + ":" + artifactId + ":" + version + ":tar.gz:all into the local"
                + " Maven repository), or set " + HOME_PROPERTY + " to an unpacked distribution.";
    }

    /** Unpacks {@code archive} into {@code target} unless another JVM got there first. */
    static void unpackOnce(Path archive, Path target) {
        Path parent = Directories.ensure(target.toAbsolutePath().getParent());
        Path staging;
        try {
            staging = Files.createTempDirectory(parent, target.getFileName() + ".unpacking-");
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a directory in " + parent + " to unpack " + archive, e);
        }
        long begin = System.nanoTime();
        try {
            extract(archive, staging);
            if (moveIntoPlace(staging, target)) {
                LOG.info("Unpacked {} into {} in {} ms", archive, target, (System.nanoTime() - begin) / 1_000_000);
            } else {
                LOG.info("Another process unpacked {} into {} first; using its copy", archive, target);
            }
        } finally {
            if (Files.exists(staging)) {
                Directories.deleteQuietly(staging);
            }
        }
    }

    /** Returns false if another JVM renamed its complete copy into place first. */
    private static boolean moveIntoPlace(Path staging, Path target) {
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (FileSystemException e) {
            if (!Files.isDirectory(target)) {
                throw new UncheckedIOException("Could not move " + staging + " to " + target, e);
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not move " + staging + " to " + target, e);
        }
    }

    private static void extract(Path archive, Path into) {
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
             TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(file))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                Path out = entry.resolveIn(into); // refuses entries that would escape the directory
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else if (entry.isFile()) {
                    Files.createDirectories(out.getParent());
                    Files.copy(tar, out);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not unpack " + archive + " (delete it to download it again): "
                    + e.getMessage(), e);
        }
    }

    private static Properties pinnedCoordinates() {
        Properties properties = new Properties();
        try (InputStream in = RegistryDistribution.class.getResourceAsStream(COORDINATES)) {
            if (in == null) {
                throw new IllegalStateException(COORDINATES + " is missing from the classpath");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + COORDINATES, e);
        }
        return properties;
    }

    private static String firstNonBlank(String first, String second) {
        if (first != null && !first.isBlank()) {
            return first;
        }
        return second != null && !second.isBlank() ? second : null;
    }
}
