package io.comet.transport;

/**
 * Client-supplied text made safe for a log line: control characters (C0, DEL, C1, and the
 * Unicode line and paragraph separators) are written as hex escapes (backslash x NN, backslash u NNNN), a
 * backslash as {@code \\}, so a path or header cannot forge log lines or send escape sequences
 * to a terminal; cut after {@value #MAX} characters.
 */
final class LogText {

    static final int MAX = 200;

    private LogText() {
    }

    static String escape(String s) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), MAX);
        StringBuilder b = null;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == '\u2028' || c == '\u2029';
            if (control || c == '\\') {
                if (b == null) {
                    b = new StringBuilder(n + 16).append(s, 0, i);
                }
                if (c == '\\') {
                    b.append("\\\\");
                } else if (c <= 0xFF) {
                    b.append(String.format("\\x%02X", (int) c));
                } else {
                    b.append(String.format("\\u%04X", (int) c));
                }
            } else if (b != null) {
                b.append(c);
            }
        }
        String out = b == null ? (n == s.length() ? s : s.substring(0, n)) : b.toString();
        return n < s.length() ? out + "...(" + s.length() + " chars)" : out;
    }
}
