package io.comet.transport;

import io.comet.core.Names;
import io.comet.core.json.Json;
import io.comet.core.store.StreamPosition;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The resume tail of a {@code subscription} command (docs/client-protocol.md §9, a Comet
 * extension the original server ignores): after a line holding a single {@code -}, one JSON object
 * mapping pipe names to the last position the client has,
 * {@code {"web_chat":{"epoch":"E1","offset":17}}}.
 */
final class ResumeTail {

    /** Longest tail accepted (bytes of JSON). */
    static final int MAX_CHARS = 8192;

    private ResumeTail() {
    }

    /** The positions, or {@code null} when the tail is not a well-formed object of positions. */
    static Map<String, StreamPosition> parse(String json, int maxName) {
        String t = json.strip();
        if (t.isEmpty()) {
            return Map.of();
        }
        if (t.length() > MAX_CHARS) {
            return null;
        }
        Object v;
        try {
            v = Json.parse(t);
        } catch (RuntimeException e) {
            return null;
        }
        if (!(v instanceof Map<?, ?> m)) {
            return null;
        }
        Map<String, StreamPosition> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String pipe) || !Names.isValid(pipe, 1, maxName)
                    || !(e.getValue() instanceof Map<?, ?> pos)
                    || !(pos.get("epoch") instanceof String epoch) || epoch.length() > 32
                    || !(pos.get("offset") instanceof Number offset) || offset.longValue() < 0) {
                return null;
            }
            out.put(pipe, new StreamPosition(epoch, offset.longValue()));
        }
        return out;
    }
}
