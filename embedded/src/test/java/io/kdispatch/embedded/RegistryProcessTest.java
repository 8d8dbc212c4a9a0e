package io.kdispatch.embedded;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryProcessTest {

    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path workDir;

    @Test
    void childThatExitsEarlyFailsWithItsExitCodeAndOutput() throws IOException {
        Path notAJar = Files.writeString(workDir.resolve("broken-runner.jar"), "not a jar");
        RegistryProcess child = RegistryProcess.launch(notAJar, FreePorts.orFree(0), null, workDir);
        try {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> child.awaitReady(URI.create("http://127.0.0.1:1/never"), Duration.ofSeconds(30)));

            assertTrue(error.getMessage().contains("exited with code 1"), error.getMessage());
            assertTrue(error.getMessage().contains("broken-runner.jar"), error.getMessage());
            assertTrue(error.getMessage().contains(child.logFile().toString()), error.getMessage());
        } finally {
            child.stop(GRACE);
        }
    }

    @Test
    void childThatIsNotReadyInTimeFailsAndCanBeStopped() {
        Path runnerJar = RegistryDistribution.fromEnvironment().locateRunnerJar();
        int port = FreePorts.orFree(0);
        RegistryProcess child = RegistryProcess.launch(runnerJar, port, null, workDir);
        try {
            IllegalStateException error = assertThrows(IllegalStateException.class,
                    () -> child.awaitReady(URI.create("http://127.0.0.1:" + port + "/"), Duration.ofMillis(1)));

            assertTrue(error.getMessage().contains("did not answer"), error.getMessage());
        } finally {
            child.stop(GRACE);
        }
        assertFalse(child.process().isAlive());
    }
}
