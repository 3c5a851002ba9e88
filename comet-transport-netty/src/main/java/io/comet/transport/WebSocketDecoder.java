package io.comet.transport;

import static io.comet.transport.FrameCodec.MAX_HEADER;
import static io.comet.transport.FrameCodec.OPCODE_BINARY;
import static io.comet.transport.FrameCodec.OPCODE_CLOSE;
import static io.comet.transport.FrameCodec.OPCODE_CONTINUATION;
import static io.comet.transport.FrameCodec.OPCODE_PING;
import static io.comet.transport.FrameCodec.OPCODE_PONG;
import static io.comet.transport.FrameCodec.OPCODE_TEXT;
import static io.comet.transport.FrameCodec.STATUS_MESSAGE_TOO_BIG;
import static io.comet.transport.FrameCodec.STATUS_PROTOCOL_ERROR;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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
 * (see {@link WireFormat}); the few control frames it sends are built here and in {@link FrameCodec}.
 */
abstract class WebSocketDecoder extends ChannelInboundHandlerAdapter {

    /** Smallest capacity of the buffer made for an incomplete frame. */
    private static final int SMALL = 64;

    /** An empty ping (the optional server keepalive, §4.12). */
    private static final ByteBuf PING = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) (0x80 | OPCODE_PING), 0}));
    /** Close 1009 for a reassembled message over the limit. */
    private static final ByteBuf MESSAGE_TOO_BIG = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(FrameCodec.closeFrame(STATUS_MESSAGE_TOO_BIG, "Message too big")));

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
            String violation = FrameCodec.headerViolation(b0, b1, fragments != null);
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

    /** One whole, valid frame whose masked payload is {@code buf[from, from + len)}. */
    private void frame(ChannelHandlerContext ctx, ByteBuf buf, int opcode, boolean fin, int from, int len, int mask) {
        switch (opcode) {
            case OPCODE_TEXT, OPCODE_BINARY -> {
                if (!fin) {
                    int max = maxPayload();
                    fragments = Unpooled.buffer(Math.min(max, Math.max(len, 256)), max);
                    FrameCodec.unmask(buf, from, len, mask, fragments);
                } else if (len == 0) {
                    onMessage(ctx, Unpooled.EMPTY_BUFFER, 0, 0);
                } else if (buf == cumulation) {
                    FrameCodec.xor(buf, from, buf, from, len, mask); // a buffer of ours: unmasked in place
                    onMessage(ctx, buf, from, len);
                } else {
                    ByteBuf payload = ctx.alloc().heapBuffer(len);
                    try {
                        FrameCodec.unmask(buf, from, len, mask, payload);
                        onMessage(ctx, payload, 0, len);
                    } finally {
                        payload.release();
                    }
                }
            }
            case OPCODE_CONTINUATION -> {
                FrameCodec.unmask(buf, from, len, mask, fragments);
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
                FrameCodec.unmask(buf, from, len, mask, pong);
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
            ctx.writeAndFlush(Unpooled.wrappedBuffer(FrameCodec.closeFrame(status, reason)));
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
}
