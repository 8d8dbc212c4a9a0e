package io.kdispatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kdispatch.schemas.startup.StartupException;
import io.kdispatch.schemas.startup.StartupWait;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The registry side of start-up waiting when nothing answers; EmbeddedRegistry tests cover a late registry. */
class RegistryWaitTest {

    @Test
    void zeroLimitFailsAtOnceSayingTheRegistryIsUnreachable() throws IOException {
        SerdeConfig config = SerdeConfig.of("http://127.0.0.1:" + closedPort());
        long begin = System.nanoTime();
        StartupException e = assertThrows(StartupException.class,
                () -> RegistryWait.await(config, new StartupWait("worker w1", Duration.ZERO)));
        assertTrue(Duration.ofNanos(System.nanoTime() - begin).compareTo(Duration.ofSeconds(5)) < 0);
        assertTrue(e.getMessage().startsWith("worker w1: schema registry at " + config.registryUrl()
                + " is unreachable"), e.getMessage());
        assertFalse(e.stopped());
    }

    @Test
    void aShortLimitGivesUpAfterRetrying() throws IOException {
        SerdeConfig config = SerdeConfig.of("http://127.0.0.1:" + closedPort());
        StartupException e = assertThrows(StartupException.class,
                () -> RegistryWait.await(config, new StartupWait("submit client", Duration.ofMillis(700))));
        assertTrue(e.getMessage().contains("is unreachable") && e.getMessage().contains("(gave up after waiting"),
                e.getMessage());
    }

    @Test
    void inMemoryRegistriesNeedNoWait() {
        assertDoesNotThrow(() -> RegistryWait.await(SerdeConfig.of("mock://registry-wait"),
                new StartupWait("worker w1", Duration.ZERO)));
    }

    /** A port nothing listens on (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
