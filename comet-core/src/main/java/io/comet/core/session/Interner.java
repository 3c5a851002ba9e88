package io.comet.core.session;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal strings between sessions: the request headers every session keeps (User-Agent,
 * Origin, Accept-Language, client address) repeat across thousands of connections, and one copy
 * of each saves about 170 bytes per idle connection. Bounded in entries and in string length, so
 * hostile variety only stops the sharing; nothing is evicted (the first values seen stay shared).
 */
public final class Interner {

    private final ConcurrentHashMap<String, String> values = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final int maxLength;

    public Interner(int maxEntries, int maxLength) {
        this.maxEntries = maxEntries;
        this.maxLength = maxLength;
    }

    /** The shared copy equal to {@code s}, or {@code s} itself (also when full or too long). */
    public String intern(String s) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return s;
        }
        String v = values.get(s);
        if (v != null) {
            return v;
        }
        if (values.size() >= maxEntries) {
            return s;
        }
        v = values.putIfAbsent(s, s);
        return v == null ? s : v;
    }

    int size() {
        return values.size();
    }
}
