package io.kdispatch.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** File-system helpers shared by the embedded broker and registry. */
final class Directories {

    private static final Logger LOG = LoggerFactory.getLogger(Directories.class);

    private Directories() {
    }

    /** Creates a fresh directory under {@code java.io.tmpdir} whose name starts with {@code prefix}. */
    static Path createTemp(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory under "
                    + System.getProperty("java.io.tmpdir") + " (check java.io.tmpdir and free space)", e);
        }
    }

    /** Creates {@code dir} and its parents if needed; fails with the path in the message. */
    static Path ensure(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create directory " + dir
                    + " (check that it is not a file and that it is writable)", e);
        }
    }

    /**
     * Deletes {@code dir} recursively. A failure is logged, not thrown: it happens while closing,
     * when the caller can do nothing better than report it.
     */
    static void deleteQuietly(Path dir) {
        try {
            Utils.delete(dir.toFile());
        } catch (IOException | RuntimeException e) {
            LOG.warn("Could not delete directory {}: {}", dir, e.toString());
        }
    }
}
