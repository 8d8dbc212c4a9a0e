package io.kdispatch.dispatcher.quota;

import java.util.Locale;

/**
 * A rate limit: tasks per second, with a burst (the bucket's size). Written {@code <per second>} or
 * {@code <per second>:<burst>}, e.g. {@code 20} or {@code 20:50}; without a burst the bucket holds one
 * second of tasks (at least 1).
 *
 * @param perSecond tasks per second, {@link #MIN_PER_SECOND} to {@link #MAX_PER_SECOND}
 * @param burst tasks that may go at once after an idle spell, 1 to {@link QuotaLimits#MAX_LIMIT}
 */
public record Rate(double perSecond, int burst) {
    public static final double MIN_PER_SECOND = 0.001;
    public static final double MAX_PER_SECOND = 100_000;

    public Rate {
        if (!(perSecond >= MIN_PER_SECOND && perSecond <= MAX_PER_SECOND)) {
            throw new IllegalArgumentException("the rate must be between " + MIN_PER_SECOND + " and "
                    + (long) MAX_PER_SECOND
                    + " tasks per second, was " + perSecond);
        }
        if (burst < 1 || burst > QuotaLimits.MAX_LIMIT) {
            throw new IllegalArgumentException("the burst must be between 1 and " + QuotaLimits.MAX_LIMIT
                    + ", was " + burst);
        }
    }

    /**
     * The rate in {@code text}.
     *
     * @throws IllegalArgumentException saying what is accepted
     */
    public static Rate parse(String text) {
        String t = text == null ? "" : text.trim();
        int colon = t.indexOf(':');
        try {
            double perSecond = Double.parseDouble(colon < 0 ? t : t.substring(0, colon).trim());
            int burst = colon < 0 ? (int) Math.max(1, Math.min(QuotaLimits.MAX_LIMIT, Math.ceil(perSecond)))
                    : Integer.parseInt(t.substring(colon + 1).trim());
            return new Rate(perSecond, burst);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "expected tasks per second, optionally with a burst, such as 20 or 20:50");
        }
    }

    /** The canonical text: {@code parse(format())} equals this rate. */
    public String format() {
        String rate = perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond)
                : String.format(Locale.ROOT, "%s", perSecond);
        return rate + ":" + burst;
    }

    /** For reasons: {@code 20/s (burst 50)}. */
    public String describe() {
        return format().replace(":", "/s (burst ") + ")";
    }
}
