package io.kdispatch.dispatcher.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** An instant on the command line: ISO-8601 ({@code 2025-01-31T12:00:00Z}), {@code now} or {@code now-10m}. */
final class TimeArg {
    private TimeArg() {
    }

    /**
     * The instant {@code value} names, relative ones against {@code clock}.
     *
     * @throws IllegalArgumentException naming {@code flag} when it is neither (a usage error: exit status 2)
     */
    static Instant parse(String flag, String value, Clock clock) {
        String v = value.trim();
        if (v.equals("now")) {
            return clock.instant();
        }
        if (v.startsWith("now-")) {
            try {
                Duration back = new DurationConverter().convert(v.substring(4));
                return clock.instant().minus(back);
            } catch (RuntimeException e) {
                throw invalid(flag, value);
            }
        }
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw invalid(flag, value);
        }
    }

    private static IllegalArgumentException invalid(String flag, String value) {
        return new IllegalArgumentException("invalid " + flag + " '" + value + "': use an ISO-8601 instant such as "
                + "2025-01-31T12:00:00Z, now, or now minus a duration such as now-10m");
    }
}
