package io.comet.cometql.protocol;

import io.comet.cometql.protocol.packet.MySqlPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The one owner of MySQL framing and sequence ids (cometql.md §1.1). Inbound: waits for whole
 * packets however the bytes are split across reads, emits each of several packets that arrive in
 * one read, and joins {@code 0xFFFFFF}-byte continuation packets into one payload (a retained
 * {@link ByteBuf} the next handler must release). A logical payload above
 * {@code maxPayloadBytes} is skipped as it streams in and reported as
 * {@link OversizePacket#INSTANCE} so the connection can answer ERR 11 and stay usable.
 * Outbound: writes each {@link MySqlPacket} with the next sequence id (inbound id + 1, then + 1
 * per physical packet), splitting payloads of {@code 0xFFFFFF} bytes or more.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html">MySQL packets</a>
 */
public final class MySqlFrameCodec extends ByteToMessageCodec<MySqlPacket> {

    /** Largest physical payload; a payload of exactly this size is continued by the next packet. */
    public static final int MAX_PHYSICAL_PAYLOAD = 0xFF_FFFF;

    private final int maxPayloadBytes;
    private int nextSequenceId;
    private final ArrayDeque<Integer> inboundSequenceIds = new ArrayDeque<>();
    private CompositeByteBuf pending;
    private boolean discarding;
    private int discardRemaining;
    private boolean discardMore;
    private int discardSeq;
    private boolean partial;

    /** A codec accepting logical payloads of at most {@code maxPayloadBytes}. */
    public MySqlFrameCodec(int maxPayloadBytes) {
        super(MySqlPacket.class);
        if (maxPayloadBytes <= 0) {
            throw new IllegalArgumentException("maxPayloadBytes: " + maxPayloadBytes + " (expected: > 0)");
        }
        this.maxPayloadBytes = maxPayloadBytes;
    }

    /** The sequence id the next written packet gets. */
    public int nextSequenceId() {
        return nextSequenceId;
    }

    /**
     * True while bytes of an incomplete packet are held (a partial header or payload, a
     * continuation packet waiting for the rest of its payload, or an oversize payload being
     * skipped): what {@link PacketDeadline} bounds in time.
     */
    boolean holdsPartialPacket() {
        return partial;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        decodePackets(ctx, in, out);
        partial = in.isReadable() || pending != null || discardRemaining > 0 || discarding;
    }

    private void decodePackets(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (discardRemaining > 0) {
                int n = Math.min(in.readableBytes(), discardRemaining);
                in.skipBytes(n);
                discardRemaining -= n;
                if (discardRemaining > 0) {
                    return;
                }
                if (!discardMore) {
                    discarding = false;
                    emit(out, OversizePacket.INSTANCE, discardSeq);
                }
                continue;
            }
            if (in.readableBytes() < 4) {
                return;
            }
            int r = in.readerIndex();
            int len = in.getUnsignedMediumLE(r);
            int seq = in.getUnsignedByte(r + 3);
            if (discarding) {
                in.skipBytes(4);
                discardSeq = seq;
                discardRemaining = len;
                discardMore = len == MAX_PHYSICAL_PAYLOAD;
                if (len == 0) {
                    discarding = false;
                    emit(out, OversizePacket.INSTANCE, seq);
                }
                continue;
            }
            long total = (long) (pending == null ? 0 : pending.readableBytes()) + len;
            if (total > maxPayloadBytes) {
                releasePending();
                in.skipBytes(4);
                discarding = true;
                discardSeq = seq;
                discardRemaining = len;
                discardMore = len == MAX_PHYSICAL_PAYLOAD;
                if (len == 0) {
                    discarding = false;
                    emit(out, OversizePacket.INSTANCE, seq);
                }
                continue;
            }
            if (in.readableBytes() < 4 + len) {
                return;
            }
            in.skipBytes(4);
            ByteBuf part = in.readRetainedSlice(len);
            if (len == MAX_PHYSICAL_PAYLOAD) {
                if (pending == null) {
                    pending = ctx.alloc().compositeBuffer(Integer.MAX_VALUE);
                }
                pending.addComponent(true, part);
                continue;
            }
            if (pending != null) {
                pending.addComponent(true, part);
                emit(out, pending, seq);
                pending = null;
            } else {
                emit(out, part, seq);
            }
        }
    }

    private void emit(List<Object> out, Object packet, int seq) {
        inboundSequenceIds.add(seq);
        out.add(packet);
    }

    /**
     * The oldest decoded packet reached the application: the next written packet gets that
     * packet's sequence id + 1 (called by {@link MySqlSequenceIdHandler}).
     */
    public void packetDelivered() {
        Integer seq = inboundSequenceIds.poll();
        if (seq != null) {
            nextSequenceId = (seq + 1) & 0xFF;
        }
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, MySqlPacket msg, ByteBuf out) {
        int start = out.writerIndex();
        out.writeInt(0);
        msg.write(new MySqlPacketPayload(out));
        int len = out.writerIndex() - start - 4;
        if (len < MAX_PHYSICAL_PAYLOAD) {
            out.setMediumLE(start, len);
            out.setByte(start + 3, nextSequenceId);
            nextSequenceId = (nextSequenceId + 1) & 0xFF;
            return;
        }
        ByteBuf payload = out.copy(start + 4, len);
        try {
            out.writerIndex(start);
            int offset = 0;
            while (true) {
                int chunk = Math.min(MAX_PHYSICAL_PAYLOAD, len - offset);
                out.writeMediumLE(chunk);
                out.writeByte(nextSequenceId);
                nextSequenceId = (nextSequenceId + 1) & 0xFF;
                out.writeBytes(payload, offset, chunk);
                offset += chunk;
                if (chunk < MAX_PHYSICAL_PAYLOAD) {
                    break;
                }
            }
        } finally {
            payload.release();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        releasePending();
        super.handlerRemoved(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releasePending();
        super.channelInactive(ctx);
    }

    private void releasePending() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
    }
}
