package io.comet.transport;

import java.util.List;
import java.util.Locale;

/**
 * The {@code [ws] host} allow-list (client-protocol.md §4.13, recommended form): the
 * {@code Origin} header's host — and port, when the entry names one — must equal an entry
 * exactly. No prefix matching ({@code example.com} does not admit {@code example.com.evil.net}).
 * An empty list disables the check; a request without {@code Origin} (not a browser) passes.
 */
final class Origins {

    private Origins() {
    }

    static boolean allowed(List<String> hosts, String origin) {
        if (hosts.isEmpty() || origin == null || origin.isEmpty()) {
            return true;
        }
        String o = origin.trim().toLowerCase(Locale.ROOT);
        int scheme = o.indexOf("://");
        if (scheme >= 0) {
            o = o.substring(scheme + 3);
        }
        int slash = o.indexOf('/');
        if (slash >= 0) {
            o = o.substring(0, slash);
        }
        String host = o;
        int colon = o.lastIndexOf(':');
        if (colon >= 0 && !o.endsWith("]")) {
            host = o.substring(0, colon);
        }
        for (String entry : hosts) {
            if (entry.indexOf(':') >= 0 && !entry.startsWith("[") ? entry.equals(o) : entry.equals(host)) {
                return true;
            }
        }
        return false;
    }
}
