package io.comet.transport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * RFC 6455 frames for tests, byte by byte: client frames (masked unless asked otherwise, any
 * length form, even a wrong one) and the unmasked server frames expected back.
 */
final class WsFrames {

    /** The masking key of RFC 6455 §5.7's examples. */
    static final int MASK = 0x37FA213D;
    /** Length forms: the shortest, or a forced 7-bit, 16-bit or 64-bit field. */
    static final int MINIMAL = 0;
    static final int LEN16 = 16;
    static final int LEN64 = 64;

    private WsFrames() {
    }

    /** A masked client frame with FIN as given, the minimal length form and {@link #MASK}. */
    static byte[] client(int opcode, boolean fin, byte[] payload) {
        return raw((fin ? 0x80 : 0) | opcode, true, MASK, MINIMAL, payload.length, payload);
    }

    static byte[] client(int opcode, boolean fin, String payload) {
        return client(opcode, fin, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** A whole (FIN) masked text frame. */
    static byte[] text(String payload) {
        return client(FrameCodec.OPCODE_TEXT, true, payload);
    }

    /**
     * Any client frame: first byte {@code b0} as given, the length field in {@code form} saying
     * {@code declared}, then (if {@code masked}) the key, then {@code payload} masked with it.
     */
    static byte[] raw(int b0, boolean masked, int mask, int form, long declared, byte[] payload) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(b0);
        int m = masked ? 0x80 : 0;
        if (form == LEN64 || (form == MINIMAL && declared > 0xFFFF)) {
            b.write(m | 127);
            for (int i = 7; i >= 0; i--) {
                b.write((int) (declared >>> (8 * i)) & 0xFF);
            }
        } else if (form == LEN16 || (form == MINIMAL && declared > 125)) {
            b.write(m | 126);
            b.write((int) (declared >>> 8) & 0xFF);
            b.write((int) declared & 0xFF);
        } else {
            b.write(m | (int) declared);
        }
        if (masked) {
            for (int i = 0; i < 4; i++) {
                b.write(mask >>> (24 - 8 * i));
            }
        }
        for (int i = 0; i < payload.length; i++) {
            b.write(masked ? payload[i] ^ (mask >>> (24 - 8 * (i & 3))) : payload[i]);
        }
        return b.toByteArray();
    }

    /** The unmasked FIN frame the server sends: {@code opcode}, the shortest length form, {@code payload}. */
    static byte[] server(int opcode, byte[] payload) {
        return raw(0x80 | opcode, false, 0, MINIMAL, payload.length, payload);
    }

    static byte[] serverText(String json) {
        return server(FrameCodec.OPCODE_TEXT, json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] pong(String payload) {
        return server(FrameCodec.OPCODE_PONG, payload.getBytes(StandardCharsets.UTF_8));
    }

    /** The Close frame the server sends: status, then the reason in UTF-8. */
    static byte[] close(int status, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        byte[] p = new byte[2 + r.length];
        p[0] = (byte) (status >>> 8);
        p[1] = (byte) status;
        System.arraycopy(r, 0, p, 2, r.length);
        return server(FrameCodec.OPCODE_CLOSE, p);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
