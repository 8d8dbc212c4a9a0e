package io.kdispatch.dispatcher.topology;

/**
 * Untrusted text (a record key, an ID that broke a rule) as it may appear in a log line or a dead letter's
 * detail: quoted, at most {@value #SHOWN} characters, control characters escaped (so a hostile ID cannot
 * forge a log line), and its length when it was cut.
 */
final class Abbreviated {
    static final int SHOWN = 60;

    private Abbreviated() {
    }

    static String of(String s) {
        if (s == null) {
            return "(null)";
        }
        StringBuilder out = new StringBuilder("'");
        int shown = Math.min(s.length(), SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append(s.length() > shown ? "...' (" + s.length() + " chars)" : "'");
        return out.toString();
    }
}
