package io.comet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The browser side of RFC 6455, byte for byte what a browser running the original
 * {@code CometServerApi.js} sends: an HTTP/1.1 upgrade request whose path carries the
 * parameters without a {@code ?} (client-protocol §1.3), masked text frames, a masked Close
 * frame to leave, Pong answers to Ping.
 *
 * <p>Inbound, the decoder first waits for the {@code 101} response head (checking
 * {@code Sec-WebSocket-Accept}), fires {@link #OPEN}, then emits every complete text or binary
 * message as a {@link ByteBuf} (retained slice; the receiver releases it), {@link #CLOSE_FRAME}
 * when the server sends a Close frame. Kept deliberately small: one instance per connection and
 * no buffers held between reads.
 */
final class WsClientCodec extends ByteToMessageDecoder {
    /** User event fired once the 101 response has been checked. */
    static final Object OPEN = new Object() {
        @Override
        public String toString() {
            return "OPEN";
        }
    };
    /** User event fired when the server sends a Close frame (the original never does, §1.7). */
    static final Object CLOSE_FRAME = new Object() {
        @Override
        public String toString() {
            return "CLOSE_FRAME";
        }
    };

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private static final int MAX_HEAD = 8192;
    private static final int MAX_MESSAGE = 1 << 20;

    private enum State { HANDSHAKE, FRAMES, DONE }

    private final String expectedAccept;
    private State state = State.HANDSHAKE;
    private CompositeByteBuf fragments;

    WsClientCodec(String key) {
        this.expectedAccept = accept(key);
    }

    /** A random 16-byte base64 key, as browsers generate. */
    static String newKey() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            byte[] d = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The upgrade request a browser sends for {@code path} (already holding the parameters).
     */
    static ByteBuf request(ByteBufAllocator alloc, String host, String path, String key) {
        String req = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Connection: Upgrade\r\n"
                + "Pragma: no-cache\r\n"
                + "Cache-Control: no-cache\r\n"
                + "User-Agent: comet-bench\r\n"
                + "Upgrade: websocket\r\n"
                + "Origin: http://" + host + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "\r\n";
        ByteBuf buf = alloc.buffer(req.length());
        buf.writeCharSequence(req, StandardCharsets.US_ASCII);
        return buf;
    }

    /** A masked text frame, FIN set, as browsers send. */
    static ByteBuf text(ByteBufAllocator alloc, String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        return frame(alloc, 0x1, payload, 0, payload.length);
    }

    /** A masked Close frame with status 1000 and no reason. */
    static ByteBuf close(ByteBufAllocator alloc) {
        return frame(alloc, 0x8, new byte[] {0x03, (byte) 0xE8}, 0, 2);
    }

    static ByteBuf frame(ByteBufAllocator alloc, int opcode, byte[] payload, int off, int len) {
        int head = 2 + 4 + (len < 126 ? 0 : len <= 0xFFFF ? 2 : 8);
        ByteBuf out = alloc.buffer(head + len);
        out.writeByte(0x80 | opcode);
        if (len < 126) {
            out.writeByte(0x80 | len);
        } else if (len <= 0xFFFF) {
            out.writeByte(0x80 | 126);
            out.writeShort(len);
        } else {
            out.writeByte(0x80 | 127);
            out.writeLong(len);
        }
        int mask = ThreadLocalRandom.current().nextInt();
        out.writeInt(mask);
        for (int i = 0; i < len; i++) {
            int m = (mask >>> (24 - 8 * (i & 3))) & 0xFF;
            out.writeByte(payload[off + i] ^ m);
        }
        return out;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.HANDSHAKE) {
            if (!decodeHead(ctx, in)) {
                return;
            }
        }
        while (state == State.FRAMES && in.isReadable()) {
            if (!decodeFrame(ctx, in, out)) {
                return;
            }
        }
        if (state == State.DONE) {
            in.skipBytes(in.readableBytes());
        }
    }

    private boolean decodeHead(ChannelHandlerContext ctx, ByteBuf in) {
        int end = indexOfCrLfCrLf(in);
        if (end < 0) {
            if (in.readableBytes() > MAX_HEAD) {
                throw new DecoderException("handshake response head longer than " + MAX_HEAD);
            }
            return false;
        }
        String head = in.toString(in.readerIndex(), end - in.readerIndex(), StandardCharsets.ISO_8859_1);
        in.readerIndex(end + 4);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/1.1 101")) {
            throw new DecoderException("handshake refused: " + (lines.length == 0 ? "" : lines[0]));
        }
        String accept = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT)
                    .equals("sec-websocket-accept")) {
                accept = lines[i].substring(colon + 1).trim();
            }
        }
        if (!expectedAccept.equals(accept)) {
            throw new DecoderException("bad Sec-WebSocket-Accept: " + accept);
        }
        state = State.FRAMES;
        ctx.fireUserEventTriggered(OPEN);
        return true;
    }

    private static int indexOfCrLfCrLf(ByteBuf in) {
        int from = in.readerIndex();
        int to = in.writerIndex() - 3;
        for (int i = from; i < to; i++) {
            if (in.getByte(i) == '\r' && in.getByte(i + 1) == '\n'
                    && in.getByte(i + 2) == '\r' && in.getByte(i + 3) == '\n') {
                return i;
            }
        }
        return -1;
    }

    private boolean decodeFrame(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 2) {
            return false;
        }
        int b0 = in.getUnsignedByte(start);
        int b1 = in.getUnsignedByte(start + 1);
        boolean fin = (b0 & 0x80) != 0;
        int opcode = b0 & 0x0F;
        boolean masked = (b1 & 0x80) != 0;
        long len = b1 & 0x7F;
        int headLen = 2;
        if (len == 126) {
            if (readable < 4) {
                return false;
            }
            len = in.getUnsignedShort(start + 2);
            headLen = 4;
        } else if (len == 127) {
            if (readable < 10) {
                return false;
            }
            len = in.getLong(start + 2);
            headLen = 10;
        }
        if (len < 0 || len > MAX_MESSAGE) {
            throw new DecoderException("frame too long: " + len);
        }
        int maskLen = masked ? 4 : 0;
        if (readable < headLen + maskLen + len) {
            return false;
        }
        int mask = masked ? in.getInt(start + headLen) : 0;
        in.skipBytes(headLen + maskLen);
        ByteBuf payload = in.readRetainedSlice((int) len);
        if (masked) {
            // servers must not mask; unmask anyway so the content can be checked
            ByteBuf copy = ctx.alloc().buffer((int) len);
            for (int i = 0; i < len; i++) {
                copy.writeByte(payload.getByte(payload.readerIndex() + i) ^ ((mask >>> (24 - 8 * (i & 3))) & 0xFF));
            }
            payload.release();
            payload = copy;
        }
        switch (opcode) {
            case 0x0: // continuation
            case 0x1:
            case 0x2:
                if (opcode != 0 && fragments != null) {
                    payload.release();
                    throw new DecoderException("new data frame inside a fragmented message");
                }
                if (fin && fragments == null) {
                    out.add(payload);
                    return true;
                }
                if (fragments == null) {
                    if (opcode == 0) {
                        payload.release();
                        throw new DecoderException("continuation frame without a start");
                    }
                    fragments = ctx.alloc().compositeBuffer();
                }
                fragments.addComponent(true, payload);
                if (fragments.readableBytes() > MAX_MESSAGE) {
                    throw new DecoderException("fragmented message too long");
                }
                if (fin) {
                    out.add(fragments);
                    fragments = null;
                }
                return true;
            case 0x8:
                payload.release();
                state = State.DONE;
                ctx.fireUserEventTriggered(CLOSE_FRAME);
                return false;
            case 0x9: {
                byte[] data = new byte[payload.readableBytes()];
                payload.readBytes(data);
                payload.release();
                ctx.writeAndFlush(frame(ctx.alloc(), 0xA, data, 0, data.length));
                return true;
            }
            case 0xA:
                payload.release();
                return true;
            default:
                payload.release();
                throw new DecoderException("unknown opcode " + opcode);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (fragments != null) {
            fragments.release();
            fragments = null;
        }
    }
}
