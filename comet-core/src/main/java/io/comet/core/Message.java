package io.comet.core;

import io.comet.core.json.Json;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;

/**
 * One immutable server → client message (client-protocol.md §3.1). A publish builds exactly one
 * instance and hands it to every subscriber; transports encode it once per wire format and
 * cache the result on the message ({@link #encoded(int, Function)}), so fan-out never builds
 * JSON per subscriber.
 *
 * <p>{@code data} is a {@link String} (published text, delivered as a JSON string), or a
 * {@link Map}/{@link java.util.List} for replies that the original builds as objects. Optional
 * envelope keys are absent when {@code null}/{@code false}/{@code 0}.
 */
public final class Message {

    /** Number of encoding cache slots available to transports. */
    public static final int ENCODING_SLOTS = 4;

    private final String pipe;
    private final String event;
    private final Object data;
    private final Long userId;
    private final String marker;
    private final long sendTime;
    private final boolean fromQueue;
    private final Map<String, Object> extra;
    /** Stream position ({@code null}/0 = none): the pipe's epoch and this publication's offset. */
    private final String epoch;
    private final long offset;
    private final AtomicReferenceArray<Object> encodings = new AtomicReferenceArray<>(ENCODING_SLOTS);

    /** {@link System#nanoTime()} when the publication was made (copies keep it): the start of publish→write latency. */
    private final long createdNanos;

    private Message(String pipe, String event, Object data, Long userId, String marker, long sendTime,
                    boolean fromQueue, Map<String, Object> extra) {
        this(pipe, event, data, userId, marker, sendTime, fromQueue, extra, null, 0, System.nanoTime());
    }

    private Message(String pipe, String event, Object data, Long userId, String marker, long sendTime,
                    boolean fromQueue, Map<String, Object> extra, String epoch, long offset, long createdNanos) {
        this.createdNanos = createdNanos;
        this.epoch = epoch;
        this.offset = offset;
        this.pipe = Objects.requireNonNull(pipe, "pipe");
        this.event = event;
        this.data = Objects.requireNonNull(data, "data");
        this.userId = userId;
        this.marker = marker;
        this.sendTime = sendTime;
        this.fromQueue = fromQueue;
        this.extra = extra == null || extra.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(extra));
    }

    /** A message with every field given; prefer the factories of the engine. */
    public static Message of(String pipe, String event, Object data, Long userId, String marker, long sendTime,
                             boolean fromQueue, Map<String, Object> extra) {
        return new Message(pipe, event, data, userId, marker, sendTime, fromQueue, extra);
    }

    /**
     * An error for one client (client-protocol.md §3.6): pipe {@code sys}, event {@code error},
     * {@code data = {"error": text, extra…}} with {@code extra} as key/value pairs.
     */
    public static Message error(long sendTime, String text, Object... extra) {
        Object[] kv = new Object[extra.length + 2];
        kv[0] = "error";
        kv[1] = text;
        System.arraycopy(extra, 0, kv, 2, extra.length);
        return new Message("sys", "error", Json.object(kv), null, null, sendTime, false, null);
    }

    /** A backend pipe publish: {@code data}, {@code event}, {@code pipe}, {@code message_send_time}. */
    public static Message pipe(String pipe, String event, String text, long sendTime) {
        return new Message(pipe, event, text, null, null, sendTime, false, null);
    }

    public String pipe() {
        return pipe;
    }

    /** Event name; may be {@code null} only for messages that have none. */
    public String event() {
        return event;
    }

    /** A {@link String}, {@link Map} or {@link java.util.List}. */
    public Object data() {
        return data;
    }

    /** {@code data} as text if it is a string, else {@code null}. */
    public String text() {
        return data instanceof String s ? s : null;
    }

    /** Sender id stamped on browser-published messages and history replays; {@code null} if absent. */
    public Long userId() {
        return userId;
    }

    /** Correlation marker of a reply, {@code null} otherwise. */
    public String marker() {
        return marker;
    }

    /** Unix seconds for {@code message_send_time}; 0 = key absent. */
    public long sendTime() {
        return sendTime;
    }

    /** True for history and offline-queue replays. */
    public boolean fromQueue() {
        return fromQueue;
    }

    /** Other top-level keys (serverInfo {@code authorized}/{@code server}, {@code _info}), sorted. */
    public Map<String, Object> extra() {
        return extra;
    }

    /** A copy of this message marked {@code fromQueue} with {@code message_send_time} = {@code time}. */
    public Message withFromQueue(long time) {
        return new Message(pipe, event, data, userId, marker, time, true, extra, epoch, offset, System.nanoTime());
    }

    /** A copy of this message at a stream position (docs/client-protocol.md, positions and recovery). */
    public Message withPosition(String epoch, long offset) {
        return new Message(pipe, event, data, userId, marker, sendTime, fromQueue, extra,
                Objects.requireNonNull(epoch, "epoch"), offset, createdNanos);
    }

    /**
     * {@return {@link System#nanoTime()} when this publication was made (a copy at a stream position
     * keeps it, so the history commit counts; a replay from the offline queue starts anew)}
     */
    public long createdNanos() {
        return createdNanos;
    }

    /** The pipe's epoch when this message has a stream position, else {@code null}. */
    public String epoch() {
        return epoch;
    }

    /** This publication's offset in its pipe (1, 2, 3 …), 0 when it has no position. */
    public long offset() {
        return offset;
    }

    /** True when the message carries a stream position. */
    public boolean hasPosition() {
        return offset > 0;
    }

    /**
     * Returns the cached encoding in {@code slot}, computing it once with {@code encoder}.
     * Transports own the slot numbers (for example 0 = v4 frame, 1 = legacy frame). Racing
     * threads may both compute; one result wins and is returned to both.
     */
    @SuppressWarnings("unchecked")
    public <T> T encoded(int slot, Function<Message, T> encoder) {
        Object v = encodings.get(slot);
        if (v == null) {
            v = Objects.requireNonNull(encoder.apply(this), "encoding");
            if (!encodings.compareAndSet(slot, null, v)) {
                v = encodings.get(slot);
            }
        }
        return (T) v;
    }

    /**
     * The envelope with the stream position keys {@code epoch} and {@code offset} added when the
     * message has one: what position-aware connections receive.
     */
    public Map<String, Object> envelopeWithPosition() {
        Map<String, Object> m = envelope();
        if (offset > 0) {
            m.put("epoch", epoch);
            m.put("offset", offset);
        }
        return m;
    }

    /** The envelope as a sorted map of the v4 wire keys (for JSON writers and tests). */
    public Map<String, Object> envelope() {
        Map<String, Object> m = new TreeMap<>(extra);
        m.put("data", data);
        if (event != null) {
            m.put("event", event);
        }
        m.put("pipe", pipe);
        if (userId != null) {
            m.put("user_id", userId);
        }
        if (marker != null) {
            m.put("marker", marker);
        }
        if (sendTime != 0) {
            m.put("message_send_time", sendTime);
        }
        if (fromQueue) {
            m.put("fromQueue", Boolean.TRUE);
        }
        return m;
    }

    @Override
    public String toString() {
        return "Message" + envelope();
    }
}
