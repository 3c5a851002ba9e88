package io.comet.transport;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * The stateless part of RFC 6455 for {@link WebSocketDecoder}: opcodes and close statuses, the
 * rules a client frame header must keep (with Netty's reason texts), the server Close frame's
 * bytes, and unmasking eight bytes at a time.
 */
final class FrameCodec {

    static final int OPCODE_CONTINUATION = 0x0;
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;
    static final int STATUS_PROTOCOL_ERROR = 1002;
    static final int STATUS_MESSAGE_TOO_BIG = 1009;
    /** The longest client frame header: 2 bytes, a 64-bit length, the mask. */
    static final int MAX_HEADER = 14;

    private FrameCodec() {
    }

    /**
     * Netty's reason text for a header ({@code b0}, {@code b1}) that breaks RFC 6455 here, or null
     * when it is fine; {@code inFragmentedMessage}: a fragmented message is being reassembled.
     */
    static String headerViolation(int b0, int b1, boolean inFragmentedMessage) {
        int rsv = (b0 & 0x70) >> 4;
        if (rsv != 0) {
            return "RSV != 0 and no extension negotiated, RSV:" + rsv;
        }
        if ((b1 & 0x80) == 0) {
            return "received a frame that is not masked as expected";
        }
        int opcode = b0 & 0x0F;
        boolean fin = (b0 & 0x80) != 0;
        int len1 = b1 & 0x7F;
        if (opcode > 7) {
            if (!fin) {
                return "fragmented control frame";
            }
            if (len1 > 125) {
                return "control frame with payload length > 125 octets";
            }
            if (opcode != OPCODE_CLOSE && opcode != OPCODE_PING && opcode != OPCODE_PONG) {
                return "control frame using reserved opcode " + opcode;
            }
            if (opcode == OPCODE_CLOSE && len1 == 1) {
                return "received close control frame with payload len 1";
            }
        } else {
            if (opcode != OPCODE_CONTINUATION && opcode != OPCODE_TEXT && opcode != OPCODE_BINARY) {
                return "data frame using reserved opcode " + opcode;
            }
            if (!inFragmentedMessage && opcode == OPCODE_CONTINUATION) {
                return "received continuation data frame outside fragmented message";
            }
            if (inFragmentedMessage && opcode != OPCODE_CONTINUATION) {
                return "received non-continuation data frame while inside fragmented message";
            }
        }
        return null;
    }

    /** An unmasked server Close frame: status and reason (at most 123 bytes of UTF-8). */
    static byte[] closeFrame(int status, String reason) {
        byte[] r = reason.getBytes(StandardCharsets.UTF_8);
        int len = 2 + Math.min(r.length, 123);
        byte[] f = new byte[2 + len];
        f[0] = (byte) (0x80 | OPCODE_CLOSE);
        f[1] = (byte) len;
        f[2] = (byte) (status >>> 8);
        f[3] = (byte) status;
        System.arraycopy(r, 0, f, 4, len - 2);
        return f;
    }

    /** Appends {@code src[from, from + len)} unmasked to {@code dst}. */
    static void unmask(ByteBuf src, int from, int len, int mask, ByteBuf dst) {
        dst.ensureWritable(len);
        int to = dst.writerIndex();
        xor(src, from, dst, to, len, mask);
        dst.writerIndex(to + len);
    }

    /**
     * {@code dst[to + i] = src[from + i] ^ maskByte(i % 4)} for {@code i < len}, eight bytes at a
     * time with the mask repeated in a long ({@code src == dst, from == to} unmasks in place).
     */
    static void xor(ByteBuf src, int from, ByteBuf dst, int to, int len, int mask) {
        long m = ((long) mask << 32) | (mask & 0xFFFFFFFFL);
        int i = 0;
        for (int end = len - 7; i < end; i += 8) {
            dst.setLong(to + i, src.getLong(from + i) ^ m);
        }
        for (; i < len; i++) {
            dst.setByte(to + i, src.getByte(from + i) ^ (mask >>> (24 - ((i & 3) << 3))));
        }
    }
}
