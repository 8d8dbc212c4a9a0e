package io.kdispatch.dispatcher.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures the lines the dispatcher logs (logger {@code io.kdispatch}, INFO and up) while open, so a test can
 * assert that a rejection was logged. Not thread-safe beyond what Log4j guarantees; one per test.
 */
final class LogLines implements AutoCloseable {
    private final List<String> lines = new ArrayList<>();
    private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
    private final LoggerConfig config = context.getConfiguration().getLoggerConfig("io.kdispatch");
    private final AbstractAppender appender;

    LogLines() {
        appender = new AbstractAppender("capture-" + UUID.randomUUID(), null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                synchronized (lines) {
                    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
                }
            }
        };
        appender.start();
        config.addAppender(appender, Level.INFO, null);
        context.updateLoggers();
    }

    /** The lines logged since the last call (and forgets them). */
    List<String> drain() {
        synchronized (lines) {
            List<String> out = List.copyOf(lines);
            lines.clear();
            return out;
        }
    }

    @Override
    public void close() {
        config.removeAppender(appender.getName());
        context.updateLoggers();
        appender.stop();
    }
}
