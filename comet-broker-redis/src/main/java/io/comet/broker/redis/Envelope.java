package io.comet.broker.redis;

import io.comet.core.Message;
import io.comet.core.broker.Member;
import io.comet.core.json.Json;
import io.comet.core.store.HistoryEntry;
import java.util.Map;

/**
 * A publication as it travels through Redis (channel payloads and history stream entries): JSON
 * with the pipe, event, data, sender, send time, publication id, origin node and the session the
 * origin excludes. Channel payloads are {@code <epoch>\n<offset>\n<json>} ({@code \n0\n<json>}
 * without history). Also the JSON of {@link Member}s.
 *
 * @param devId   namespace
 * @param origin  node id of the publisher
 * @param except  session of the origin node that does not get it (0 = none)
 * @param id      publication id
 * @param message the message, without position
 */
record Envelope(int devId, String origin, long except, String id, Message message) {

    String json() {
        Message m = message;
        return Json.write(Json.object("dev", devId, "o", origin, "x", except, "id", id, "pipe", m.pipe(),
                "ev", m.event() == null ? "" : m.event(), "d", m.data(), "u", m.userId() == null ? 0L : m.userId(),
                "t", m.sendTime()));
    }

    static Envelope parse(String json) {
        @SuppressWarnings("unchecked")
        Map<String, Object> o = (Map<String, Object>) Json.parse(json);
        long uid = ((Number) o.get("u")).longValue();
        Message m = Message.of((String) o.get("pipe"), (String) o.get("ev"), o.get("d"), uid > 0 ? uid : null, null,
                ((Number) o.get("t")).longValue(), false, null);
        return new Envelope(((Number) o.get("dev")).intValue(), (String) o.get("o"), ((Number) o.get("x")).longValue(),
                (String) o.get("id"), m);
    }

    /** The history entry of this publication at {@code offset}. */
    HistoryEntry entry(long offset) {
        Message m = message;
        String event = m.event() == null || m.event().isEmpty() ? "undefined" : m.event();
        return new HistoryEntry(id, m.sendTime(), m.pipe(), event, m.text() == null ? Json.write(m.data()) : m.text(),
                m.userId() == null ? 0 : m.userId(), offset);
    }

    /** A channel payload split: epoch ({@code ""} = no history), offset, envelope. */
    record Payload(String epoch, long offset, Envelope envelope) {
        static Payload parse(String payload) {
            int a = payload.indexOf('\n');
            int b = payload.indexOf('\n', a + 1);
            return new Payload(payload.substring(0, a), Long.parseLong(payload.substring(a + 1, b)),
                    Envelope.parse(payload.substring(b + 1)));
        }
    }

    static String memberJson(int devId, String pipe, Member m) {
        return Json.write(Json.object("dev", devId, "pipe", pipe, "u", m.userId(), "uuid", m.uuid(), "ip", m.ip(),
                "ua", m.userAgent(), "lang", m.language(), "origin", m.origin()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(String json) {
        return (Map<String, Object>) Json.parse(json);
    }

    static Member member(Map<String, Object> o) {
        return new Member(((Number) o.get("u")).longValue(), (String) o.get("uuid"), (String) o.get("ip"),
                (String) o.get("ua"), (String) o.get("lang"), (String) o.get("origin"));
    }
}
