package io.comet.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * RFC 6455 on the server side, without extensions, as the base of the one handler an upgraded
 * connection holds ({@link WebSocketHandler}): it decodes the client's frames straight from the
 * socket's bytes, so the pipeline needs no frame decoder, aggregator or encoder of its own and
 * no frame objects are made. Every whole message (text and binary alike, fragments reassembled)
 * reaches {@link #onMessage} unmasked; a Close frame reaches {@link #onClose}; pings are
 * answered with pongs, pongs are ignored.
 *
 * <p>What the connection holds between reads: no buffer at all unless a frame is incomplete
 * (for at most {@link #frameTimeoutNanos()}; the buffers are plain heap arrays, not pooled
 * memory, so what stalled connections held goes back to the collector when they close)
 * (then only its bytes, in a buffer that grows with the bytes received, not with the length a
 * header announces, and is released as soon as it is drained) and, during a fragmented message
 * only, the fragments so far. Payloads are unmasked eight bytes at a time, in place when the
 * frame sits in the buffer this class owns, else while being copied out of the read buffer
 * (which belongs to the transport and is never written to).
 *
 * <p>Violations close the connection the way Netty's {@code WebSocket13FrameDecoder} with
 * {@code closeOnProtocolViolation} did, with the same bytes: a Close frame with status 1002 (a
 * frame over {@link #maxPayload()}: 1009) and Netty's reason text, then TCP closed. A
 * fragmented message whose total passes {@link #maxPayload()} gets a Close frame 1009
 * {@code Message too big} (what the old {@code WebSocketFrameAggregator} path wrote) and the
 * connection closes once it is written. Either way nothing more is read.
 *
 * <p>Server → client frames are never encoded here: the server only writes pre-encoded frames
 * (see {@link WireFormat}); the few control frames it sends are built by this class.
 */
abstract class WebSocketDecoder extends ChannelInboundHandlerAdapter {

    static final int OPCODE_CONTINUATION = 0x0;
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;
    static final int STATUS_PROTOCOL_ERROR = 1002;
    static final int STATUS_MESSAGE_TOO_BIG = 1009;
    /** Smallest capacity of the buffer made for an incomplete frame. */
    private static final int SMALL = 64;
    /** The longest client frame header: 2 bytes, a 64-bit length, the mask. */
    private static final int MAX_HEADER = 14;

    /** An empty ping (the optional server keepalive, §4.12). */
    private static final ByteBuf PING = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) (0x80 | OPCODE_PING), 0}));
    /** Close 1009 for a reassembled message over the limit. */
    private static final ByteBuf MESSAGE_TOO_BIG = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(closeFrame(STATUS_MESSAGE_TOO_BIG, "Message too big")));

    /** The bytes of an incomplete frame; null whenever no frame is pending. */
    private ByteBuf cumulation;
    /** The payload of a fragmented message so far; null outside one. */
    private ByteBuf fragments;
    /** A Close frame or a violation ended the connection, or it went: nothing more is read. */
    private boolean done;
    /** {@link System#nanoTime()} when the current incomplete frame or message began (0: none). */
    private long partialSince;
    private boolean partialCheckScheduled;

    /** How long an incomplete frame or fragmented message may take ({@link WebLimits#frameTimeout()}). */
    abstract long frameTimeoutNanos();

    /** Largest payload of a frame and of a reassembled message. */
    abstract int maxPayload();

    /**
     * One whole text or binary message, unmasked, at {@code buf[index, index + length)}. The
     * bytes are valid during the call only and must be read before anything that may close the
     * channel; the buffer is not the callee's to release.
     */
    abstract void onMessage(ChannelHandlerContext ctx, ByteBuf buf, int index, int length);

    /** The client sent a Close frame (everything after it is ignored). */
    abstract void onClose(ChannelHandlerContext ctx);

    /** Logs one bad-input incident ({@code what} names it); the connection is being closed. */
    abstract void onBadFrame(ChannelHandlerContext ctx, String what);

    /** True while the handler holds a buffer (an incomplete frame or a fragmented message). */
    final boolean holdsBuffers() {
        return cumulation != null || fragments != null;
    }

    /** Bytes of buffer capacity the handler holds now. */
    final int heldCapacity() {
        return (cumulation == null ? 0 : cumulation.capacity()) + (fragments == null ? 0 : fragments.capacity());
    }

    /** A fresh duplicate of the empty server ping frame. */
    static ByteBuf pingFrame() {
        return PING.duplicate();
    }

    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (done) {
                return;
            }
            if (cumulation == null) {
                decode(ctx, in);
                if (!done && in.isReadable()) {
                    // keep only the incomplete frame, in a buffer of its own (not the read buffer)
                    cumulation = Unpooled.buffer(Math.max(in.readableBytes(), SMALL)).writeBytes(in);
                }
            } else {
                append(in);
                decode(ctx, cumulation);
                if (!done) { // else the buffers are already released
                    compact(ctx);
                }
            }
            if (!done) {
                watchPartial(ctx);
            }
        } finally {
            in.release();
        }
    }

    /**
     * Bounds partial input in time: from the first byte of an incomplete frame (or the first
     * fragment of a message) the rest must come within {@link #frameTimeoutNanos()}, else the
     * connection is closed (the buffers go with it).
     */
    private void watchPartial(ChannelHandlerContext ctx) {
        if (!holdsBuffers()) {
            partialSince = 0;
            return;
        }
        if (partialSince == 0) {
            partialSince = System.nanoTime() | 1;
            if (!partialCheckScheduled) {
                partialCheckScheduled = true;
                ctx.executor().schedule(() -> checkPartial(ctx), frameTimeoutNanos(), TimeUnit.NANOSECONDS);
            }
        }
    }

    private void checkPartial(ChannelHandlerContext ctx) {
        partialCheckScheduled = false;
        long since = partialSince;
        if (done || since == 0 || !ctx.channel().isActive()) {
            return;
        }
        long left = since + frameTimeoutNanos() - System.nanoTime();
        if (left > 0) { // a later partial frame: check when it is old enough
            partialCheckScheduled = true;
            ctx.executor().schedule(() -> checkPartial(ctx), left, TimeUnit.NANOSECONDS);
            return;
        }
        finish();
        onBadFrame(ctx, "incomplete frame or message for " + TimeUnit.NANOSECONDS.toMillis(frameTimeoutNanos())
                + " ms (frameTimeout), closing");
        ctx.close();
    }

    /**
     * Appends {@code in} to the cumulation, which grows with the bytes that came (doubling, up to
     * the largest frame) rather than to the size a header announces: a client cannot make the
     * server reserve 64 KiB with a few bytes.
     */
    private void append(ByteBuf in) {
        ByteBuf c = cumulation;
        int need = c.writerIndex() + in.readableBytes();
        if (need > c.capacity()) {
            c.capacity(Math.max(need, Math.min(2 * c.capacity(), maxPayload() + MAX_HEADER)));
        }
        c.writeBytes(in);
    }

    /** After a read: drops the cumulation once drained; else keeps its unread bytes at the front, in a buffer of about their size. */
    private void compact(ChannelHandlerContext ctx) {
        ByteBuf c = cumulation;
        int readable = c.readableBytes();
        if (readable == 0) {
            cumulation = null;
            c.release();
        } else if (c.readerIndex() > 0) {
            if (c.capacity() > 2 * Math.max(readable, SMALL)) {
                cumulation = Unpooled.buffer(Math.max(readable, SMALL)).writeBytes(c);
                c.release();
            } else {
                c.discardReadBytes();
            }
        }
    }

    /** Handles every whole frame in {@code buf}, leaving its reader index at the start of an incomplete frame. */
    private void decode(ChannelHandlerContext ctx, ByteBuf buf) {
        int max = maxPayload();
        while (!done) {
            int start = buf.readerIndex();
            int readable = buf.writerIndex() - start;
            if (readable < 2) {
                return;
            }
            int b0 = buf.getByte(start);
            int b1 = buf.getByte(start + 1);
            String violation = headerViolation(b0, b1);
            if (violation != null) {
                protocolViolation(ctx, STATUS_PROTOCOL_ERROR, violation);
                return;
            }
            int len1 = b1 & 0x7F;
            long length;
            int header; // including the 4-byte mask (every accepted frame is masked)
            if (len1 == 126) {
                if (readable < 4) {
                    return;
                }
                length = buf.getUnsignedShort(start + 2);
                if (length < 126) {
                    protocolViolation(ctx, STATUS_PROTOCOL_ERROR, "invalid data frame length (not using minimal length encoding)");
                    return;
                }
                header = 8;
            } else if (len1 == 127) {
                if (readable < 10) {
                    return;
                }
                length = buf.getLong(start + 2);
                if (length < 0) {
                    protocolViolation(ctx, STATUS_PROTOCOL_ERROR, "invalid data frame length (negative length)");
                    return;
                }
                if (length < 65536) {
                    protocolViolation(ctx, STATUS_PROTOCOL_ERROR, "invalid data frame length (not using minimal length encoding)");
                    return;
                }
                header = MAX_HEADER;
            } else {
                length = len1;
                header = 6;
            }
            if (length > max) {
                protocolViolation(ctx, STATUS_MESSAGE_TOO_BIG, "Max frame length of " + max + " has been exceeded.");
                return;
            }
            int len = (int) length;
            int opcode = b0 & 0x0F;
            if (opcode == OPCODE_CONTINUATION && len > max - fragments.readableBytes()) {
                messageTooBig(ctx); // known from the header: the payload is not waited for
                return;
            }
            if (readable < header + len) {
                return;
            }
            int mask = buf.getInt(start + header - 4);
            buf.readerIndex(start + header + len);
            frame(ctx, buf, opcode, (b0 & 0x80) != 0, start + header, len, mask);
        }
    }

    /** Netty's reason text for a header that breaks RFC 6455 here, or null when it is fine. */
    private String headerViolation(int b0, int b1) {
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
            if (fragments == null && opcode == OPCODE_CONTINUATION) {
                return "received continuation data frame outside fragmented message";
            }
            if (fragments != null && opcode != OPCODE_CONTINUATION) {
                return "received non-continuation data frame while inside fragmented message";
            }
        }
        return null;
    }

    /** One whole, valid frame whose masked payload is {@code buf[from, from + len)}. */
    private void frame(ChannelHandlerContext ctx, ByteBuf buf, int opcode, boolean fin, int from, int len, int mask) {
        switch (opcode) {
            case OPCODE_TEXT, OPCODE_BINARY -> {
                if (!fin) {
                    int max = maxPayload();
                    fragments = Unpooled.buffer(Math.min(max, Math.max(len, 256)), max);
                    unmask(buf, from, len, mask, fragments);
                } else if (len == 0) {
                    onMessage(ctx, Unpooled.EMPTY_BUFFER, 0, 0);
                } else if (buf == cumulation) {
                    xor(buf, from, buf, from, len, mask); // a buffer of ours: unmasked in place
                    onMessage(ctx, buf, from, len);
                } else {
                    ByteBuf payload = ctx.alloc().heapBuffer(len);
                    try {
                        unmask(buf, from, len, mask, payload);
                        onMessage(ctx, payload, 0, len);
                    } finally {
                        payload.release();
                    }
                }
            }
            case OPCODE_CONTINUATION -> {
                unmask(buf, from, len, mask, fragments);
                if (fin) {
                    ByteBuf message = fragments;
                    fragments = null;
                    try {
                        onMessage(ctx, message, message.readerIndex(), message.readableBytes());
                    } finally {
                        message.release();
                    }
                }
            }
            case OPCODE_PING -> {
                ByteBuf pong = ctx.alloc().buffer(2 + len);
                pong.writeByte(0x80 | OPCODE_PONG).writeByte(len);
                unmask(buf, from, len, mask, pong);
                ctx.writeAndFlush(pong);
            }
            case OPCODE_CLOSE -> {
                finish();
                onClose(ctx);
            }
            default -> {
                // a pong: ignored
            }
        }
    }

    /** Close frame {@code status} with Netty's reason, then TCP closed (as the decoder and handler did). */
    private void protocolViolation(ChannelHandlerContext ctx, int status, String reason) {
        finish();
        onBadFrame(ctx, "bad frame: " + reason);
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(closeFrame(status, reason)));
        }
        ctx.close();
    }

    /** A reassembled message over the limit: Close 1009, TCP closed once it is written. */
    private void messageTooBig(ChannelHandlerContext ctx) {
        finish();
        onBadFrame(ctx, "message over " + maxPayload() + " bytes, closing with 1009");
        ctx.writeAndFlush(MESSAGE_TOO_BIG.duplicate()).addListener(ChannelFutureListener.CLOSE);
    }

    /** Nothing more is read; the buffers go. Safe to call again (also re-entrantly, from a callback). */
    private void finish() {
        done = true;
        ByteBuf c = cumulation;
        ByteBuf f = fragments;
        cumulation = null;
        fragments = null;
        if (c != null) {
            c.release();
        }
        if (f != null) {
            f.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        finish();
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
