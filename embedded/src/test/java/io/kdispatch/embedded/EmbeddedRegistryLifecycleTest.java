package io.kdispatch.embedded;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Registries of their own: this test stops them, which the shared registry must never be. */
class EmbeddedRegistryLifecycleTest {

    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"Kept\",\"namespace\":\"io.kdispatch.test\","
            + "\"fields\":[{\"name\":\"id\",\"type\":\"string\"}]}";

    @Test
    void closeEndsTheChildProcessAndAFileDatabaseSurvivesARestart(@TempDir Path dataDir) throws Exception {
        EmbeddedRegistry.Options options = EmbeddedRegistry.Options.defaults().withDataDir(dataDir);
        Set<Thread> before = ThreadLeaks.snapshot();
        EmbeddedRegistry registry = EmbeddedRegistry.start(options);
        int id = new CcompatClient(registry.url()).register("kept-value", SCHEMA);
        Process process = registry.process();
        Path logFile = registry.logFile();
        assertTrue(Files.isRegularFile(logFile));

        registry.close();
        registry.close();

        assertFalse(process.isAlive(), "registry process " + process.pid() + " still alive");
        assertFalse(process.toHandle().descendants().findAny().isPresent());
        assertFalse(Files.exists(logFile), logFile + " still exists");
        ThreadLeaks.awaitNoneStartedSince(before, Duration.ofSeconds(5));
        try (EmbeddedRegistry restarted = EmbeddedRegistry.start(options)) {
            assertEquals(CcompatClient.JSON.readTree(SCHEMA), new CcompatClient(restarted.url()).schemaById(id));
        }
    }

    @Test
    void stopAndRestartBringTheSameUrlBackWithItsSchemas(@TempDir Path dataDir) throws Exception {
        try (EmbeddedRegistry registry = EmbeddedRegistry.start(EmbeddedRegistry.Options.defaults()
                .withDataDir(dataDir))) {
            String url = registry.url();
            int id = new CcompatClient(url).register("kept-value", SCHEMA);
            Process first = registry.process();

            registry.stop();
            registry.stop();
            assertFalse(registry.isRunning());
            assertFalse(first.isAlive(), "registry process " + first.pid() + " still alive");
            assertThrows(java.io.IOException.class, () -> new CcompatClient(url).schemaById(id));

            registry.restart();
            assertTrue(registry.isRunning());
            assertEquals(url, registry.url());
            assertEquals(CcompatClient.JSON.readTree(SCHEMA), new CcompatClient(url).schemaById(id));
            assertEquals(id, new CcompatClient(url).register("kept-value", SCHEMA), "the same ID after a restart");
        }
    }
}
