package io.comet.cometql.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.protocol.packet.generic.MySqlOkPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Acceptance 2: framing — split reads, several packets per read, 16 MB continuation, sequence ids. */
class MySqlFrameCodecTest {

    private EmbeddedChannel ch;
    private MySqlFrameCodec codec;

    private void channel(int maxPayload) {
        codec = new MySqlFrameCodec(maxPayload);
        ch = new EmbeddedChannel(codec, new MySqlSequenceIdHandler(codec));
    }

    @AfterEach
    void finish() {
        assertThat(ch.finish()).isFalse();
    }

    private static ByteBuf hex(String h) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(h.replace(" ", "")));
    }

    private String readPayloadHex() {
        ByteBuf b = ch.readInbound();
        try {
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void packetFedOneByteAtATime() {
        channel(1024);
        // COM_QUERY "SELECT 1", sequence 0
        byte[] frame = ByteBufUtil.decodeHexDump("090000000353454c4543542031");
        for (byte b : frame) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertThat(readPayloadHex()).isEqualTo("0353454c4543542031");
        assertThat(ch.<Object>readInbound()).isNull();
    }

    @Test
    void severalPacketsInOneRead() {
        channel(1024);
        // COM_PING (seq 0), COM_QUERY "SET x" (seq 0), empty packet
        ch.writeInbound(hex("010000000e 06000000035345542078 00000000"));
        assertThat(readPayloadHex()).isEqualTo("0e");
        assertThat(readPayloadHex()).isEqualTo("035345542078");
        assertThat(readPayloadHex()).isEmpty();
    }

    @Test
    void continuationPacketsAreJoined() {
        channel(40 * 1024 * 1024);
        byte[] big = new byte[MySqlFrameCodec.MAX_PHYSICAL_PAYLOAD];
        Arrays.fill(big, (byte) 'a');
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(ByteBufUtil.decodeHexDump("ffffff00"));
        in.writeBytes(big);
        in.writeBytes(ByteBufUtil.decodeHexDump("03000001626364"));
        ch.writeInbound(in);
        ByteBuf joined = ch.readInbound();
        try {
            assertThat(joined.readableBytes()).isEqualTo(MySqlFrameCodec.MAX_PHYSICAL_PAYLOAD + 3);
            assertThat(joined.getByte(0)).isEqualTo((byte) 'a');
            assertThat(joined.toString(MySqlFrameCodec.MAX_PHYSICAL_PAYLOAD, 3, java.nio.charset.StandardCharsets.US_ASCII))
                    .isEqualTo("bcd");
        } finally {
            joined.release();
        }
        // the answer continues after the last physical packet's id (1)
        ch.writeOutbound(MySqlOkPacket.PLAIN);
        ByteBuf ok = ch.readOutbound();
        assertThat(ByteBufUtil.hexDump(ok)).isEqualTo("070000020000000200" + "0000");
        ok.release();
    }

    @Test
    void exactly16MbPayloadEndsWithAnEmptyPacket() {
        channel(40 * 1024 * 1024);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(ByteBufUtil.decodeHexDump("ffffff00"));
        in.writeZero(MySqlFrameCodec.MAX_PHYSICAL_PAYLOAD);
        in.writeBytes(ByteBufUtil.decodeHexDump("00000001"));
        ch.writeInbound(in);
        ByteBuf joined = ch.readInbound();
        assertThat(joined.readableBytes()).isEqualTo(MySqlFrameCodec.MAX_PHYSICAL_PAYLOAD);
        joined.release();
    }

    @Test
    void largeOutboundPayloadIsSplitWithOneSequenceIdPerPhysicalPacket() {
        channel(1024);
        ch.writeInbound(hex("010000000e"));
        ((ByteBuf) ch.readInbound()).release();
        int size = MySqlFrameCodec.MAX_PHYSICAL_PAYLOAD + 5;
        ch.writeOutbound((io.comet.cometql.protocol.packet.MySqlPacket) p -> p.writeBytes(new byte[size]));
        ByteBuf out = Unpooled.buffer();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.writeBytes((ByteBuf) o);
            ((ByteBuf) o).release();
        }
        assertThat(ByteBufUtil.hexDump(out, 0, 4)).isEqualTo("ffffff01");
        assertThat(ByteBufUtil.hexDump(out, 4 + MySqlFrameCodec.MAX_PHYSICAL_PAYLOAD, 4)).isEqualTo("05000002");
        assertThat(out.readableBytes()).isEqualTo(size + 8);
        out.release();
    }

    @Test
    void sequenceIdsFollowEachDeliveredCommand() {
        codec = new MySqlFrameCodec(1024);
        ch = new EmbeddedChannel();
        ch.config().setAutoRead(false);
        ch.pipeline().addLast(codec, new CometQlFlowControlHandler(), new MySqlSequenceIdHandler(codec));
        // two commands decoded from one read, delivered one per read(): each answer starts at its own id + 1
        ch.writeInbound(hex("010000000e 0100000507"));
        assertThat(ch.<Object>readInbound()).isNull();
        ch.read();
        ((ByteBuf) ch.readInbound()).release();
        ch.writeOutbound(MySqlOkPacket.PLAIN, MySqlOkPacket.PLAIN);
        assertThat(outboundSeq()).isEqualTo(1);
        assertThat(outboundSeq()).isEqualTo(2);
        ch.read();
        ((ByteBuf) ch.readInbound()).release();
        ch.writeOutbound(MySqlOkPacket.PLAIN);
        assertThat(outboundSeq()).isEqualTo(6);
    }

    private int outboundSeq() {
        ByteBuf b = ch.readOutbound();
        try {
            return b.getUnsignedByte(3);
        } finally {
            b.release();
        }
    }

    @Test
    void oversizePayloadIsSkippedAndReportedThenDecodingContinues() {
        channel(1024);
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(ByteBufUtil.decodeHexDump("d0070000")); // 2000 bytes, seq 0
        in.writeZero(2000);
        ch.writeInbound(in.retainedSlice(0, 1000));
        ch.writeInbound(in.retainedSlice(1000, in.readableBytes() - 1000));
        in.release();
        assertThat(ch.<Object>readInbound()).isSameAs(OversizePacket.INSTANCE);
        ch.writeInbound(hex("010000000e"));
        assertThat(readPayloadHex()).isEqualTo("0e");
    }
}
