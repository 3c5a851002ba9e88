package io.comet.transport;

import io.comet.core.engine.CometEngine;
import io.comet.core.Message;
import io.comet.core.Session;
import io.comet.core.json.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * The two server → client wire formats (client-protocol.md §1.5, §3.7) and their WebSocket
 * frames. A message is encoded once per format and cached on the {@link Message} (slot
 * {@link #SLOT_V4} / {@link #SLOT_LEGACY}); every subscriber then gets a duplicate of the same
 * buffer, so fan-out never builds JSON or copies bytes per subscriber.
 */
final class WireFormat {

    /** {@link Message#encoded} slot of the v4 encoding. */
    static final int SLOT_V4 = 0;
    /** {@link Message#encoded} slot of the legacy (v &lt; 4) encoding. */
    static final int SLOT_LEGACY = 1;
    /** {@link Message#encoded} slot of the v4 encoding with the stream position keys (position-aware clients). */
    static final int SLOT_V4_POSITIONS = 2;
    static final String API_DATA = "for major_version < 4";

    private WireFormat() {
    }

    /**
     * One encoded message: the whole unmasked text frame (FIN, opcode 1, length) and, inside it,
     * the JSON payload.
     */
    static final class Encoded {
        private final byte[] frame;
        private final int payloadOffset;
        private final ByteBuf shared;
        /** {@code Message.createdNanos()} of the message encoded (publish→write latency). */
        final long createdNanos;

        Encoded(byte[] frame, int payloadOffset, long createdNanos) {
            this.createdNanos = createdNanos;
            this.frame = frame;
            this.payloadOffset = payloadOffset;
            this.shared = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(frame));
        }

        /** A duplicate of the one shared frame buffer (independent indexes, same bytes). */
        ByteBuf frame() {
            return shared.duplicate();
        }

        int frameLength() {
            return frame.length;
        }

        int payloadLength() {
            return frame.length - payloadOffset;
        }

        /** Copies the whole frame into {@code out}. */
        void writeFrame(ByteBuf out) {
            out.writeBytes(frame);
        }

        /** Copies the JSON payload into {@code out}. */
        void writePayload(ByteBuf out) {
            out.writeBytes(frame, payloadOffset, frame.length - payloadOffset);
        }

        String json() {
            return new String(frame, payloadOffset, frame.length - payloadOffset, StandardCharsets.UTF_8);
        }
    }

    /** The cached encoding of {@code m} for a v4 ({@code legacy=false}) or v &lt; 4 client. */
    static Encoded encode(Message m, boolean legacy) {
        return legacy ? m.encoded(SLOT_LEGACY, WireFormat::encodeLegacy) : m.encoded(SLOT_V4, WireFormat::encodeV4);
    }

    /**
     * The cached encoding of {@code m} for a connection; a position-aware v4 connection gets the
     * {@code epoch}/{@code offset} keys when the message has a position (docs/client-protocol.md
     * "Positions and recovery"), everyone else the original bytes.
     */
    static Encoded encode(Message m, boolean legacy, Session session) {
        if (!legacy && m.hasPosition() && session != null && session.isPositionAware()) {
            return m.encoded(SLOT_V4_POSITIONS, WireFormat::encodeV4WithPosition);
        }
        return encode(m, legacy);
    }

    private static Encoded encodeV4WithPosition(Message m) {
        return frame(Json.write(m.envelopeWithPosition()), m.createdNanos());
    }

    private static Encoded encodeV4(Message m) {
        return frame(Json.write(m.envelope()), m.createdNanos());
    }

    private static Encoded encodeLegacy(Message m) {
        return frame(Json.write(legacyEnvelope(m)), m.createdNanos());
    }

    /**
     * The §3.7 transformation: {@code event_name} and {@code api_data} added, non-string data
     * (except on pipe {@code msg}) replaced by its JSON text, {@code authorized} as a string.
     */
    static Map<String, Object> legacyEnvelope(Message m) {
        Map<String, Object> env = new TreeMap<>(m.envelope());
        env.put("event_name", m.event() == null ? "" : m.event());
        env.put("api_data", API_DATA);
        Object data = m.data();
        if (!(data instanceof String) && !(data instanceof Number) && !CometEngine.MSG_PIPE.equals(m.pipe())) {
            env.put("data", Json.write(data));
        }
        Object auth = env.get("authorized");
        if (auth instanceof Boolean b) {
            env.put("authorized", b ? "true" : "false");
        }
        return env;
    }

    /** Builds an unmasked FIN text frame around the UTF-8 of {@code json}, made now. */
    static Encoded frame(String json) {
        return frame(json, System.nanoTime());
    }

    /** The same for a message published at {@code createdNanos}. */
    static Encoded frame(String json, long createdNanos) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        int len = payload.length;
        int header = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
        byte[] f = new byte[header + len];
        f[0] = (byte) 0x81;
        if (len < 126) {
            f[1] = (byte) len;
        } else if (len <= 0xFFFF) {
            f[1] = 126;
            f[2] = (byte) (len >>> 8);
            f[3] = (byte) len;
        } else {
            f[1] = 127;
            long l = len;
            for (int i = 0; i < 8; i++) {
                f[2 + i] = (byte) (l >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, f, header, len);
        return new Encoded(f, header, createdNanos);
    }
}
