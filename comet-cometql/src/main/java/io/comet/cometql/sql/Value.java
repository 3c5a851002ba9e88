package io.comet.cometql.sql;

/**
 * A literal of a VALUES list or a WHERE condition: string (already unescaped), number, bare word
 * or {@code NULL}.
 *
 * @param text   the value text, {@code null} for {@code NULL}
 * @param quoted true if it was a quoted string
 */
public record Value(String text, boolean quoted) {

    /** The SQL {@code NULL}. */
    public static final Value NULL = new Value(null, false);

    /** True for {@code NULL}. */
    public boolean isNull() {
        return text == null;
    }

    /**
     * The integer value by MySQL's string-to-number rule: optional sign and the leading digits
     * ({@code '12abc'} → 12, {@code 'abc'} → 0, {@code '-3'} → -3); saturates at ±{@link Long#MAX_VALUE}.
     */
    public long asLong() {
        if (text == null) {
            return 0;
        }
        String s = text.strip();
        int i = 0;
        boolean neg = false;
        if (i < s.length() && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        long v = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            int d = s.charAt(i) - '0';
            if (v > (Long.MAX_VALUE - d) / 10) {
                return neg ? -Long.MAX_VALUE : Long.MAX_VALUE;
            }
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }
}
