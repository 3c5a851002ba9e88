package io.comet.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WsClientCodecTest {
    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    private final List<Object> events = new ArrayList<>();
    private EmbeddedChannel ch;

    private EmbeddedChannel channel() {
        ch = new EmbeddedChannel(new WsClientCodec(KEY), new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                events.add(evt);
            }
        });
        return ch;
    }

    @AfterEach
    void finish() {
        if (ch != null) {
            ch.finishAndReleaseAll();
        }
    }

    private static ByteBuf ascii(String s) {
        return Unpooled.copiedBuffer(s, StandardCharsets.ISO_8859_1);
    }

    private static final String RESPONSE = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n";

    @Test
    void acceptKeyOfRfc6455Example() {
        assertThat(WsClientCodec.accept(KEY)).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void requestCarriesParametersInThePathLikeTheJsClient() {
        Conn c = new Conn(1, 5, "a1b2c3", new String[] {"web_chat"}, new int[] {0});
        assertThat(c.path(0)).isEqualTo("/ws/sesion=a1b2c3&myid=5&devid=0&v=4.08&uuid=" + c.uuid + "&api=js");
        assertThat(c.uuid).hasSize(32).matches("[A-Za-z0-9_-]{32}");
        Conn anon = Conn.anonymous(2, null, null);
        assertThat(anon.path(0)).startsWith("/ws/sesion=undefined&myid=undefined&devid=0&v=4.08&uuid=");
        assertThat(anon.subscription()).isNull();
        assertThat(c.subscription()).isEqualTo("subscription\nweb_chat");
        ByteBuf req = WsClientCodec.request(Unpooled.buffer().alloc(), "127.0.0.1:8087", c.path(0), KEY);
        String text = req.toString(StandardCharsets.US_ASCII);
        req.release();
        assertThat(text).startsWith("GET /ws/sesion=a1b2c3&myid=5&devid=0&v=4.08&uuid=")
                .contains("\r\nUpgrade: websocket\r\n", "\r\nSec-WebSocket-Key: " + KEY + "\r\n",
                        "\r\nSec-WebSocket-Version: 13\r\n")
                .endsWith("\r\n\r\n");
    }

    @Test
    void handshakeThenTwoFramesInOneReadFedByteByByte() {
        EmbeddedChannel c = channel();
        // 145-byte payload uses the 16-bit length form (81 7E 00 91), §1.5
        String big = "{\"data\":\"" + "x".repeat(145 - 11) + "\"}";
        assertThat(big).hasSize(145);
        ByteBuf all = Unpooled.buffer();
        all.writeBytes(ascii(RESPONSE));
        all.writeBytes(new byte[] {(byte) 0x81, 0x05});
        all.writeBytes(ascii("hello"));
        all.writeBytes(new byte[] {(byte) 0x81, 0x7E, 0x00, (byte) 0x91});
        all.writeBytes(ascii(big));
        while (all.isReadable()) {
            c.writeInbound(all.readRetainedSlice(1));
        }
        all.release();
        assertThat(events).containsExactly(WsClientCodec.OPEN);
        ByteBuf m1 = c.readInbound();
        ByteBuf m2 = c.readInbound();
        assertThat(m1.toString(StandardCharsets.UTF_8)).isEqualTo("hello");
        assertThat(m2.toString(StandardCharsets.UTF_8)).isEqualTo(big);
        m1.release();
        m2.release();
        assertThat((Object) c.readInbound()).isNull();
    }

    @Test
    void wrongAcceptIsRejected() {
        EmbeddedChannel c = channel();
        assertThatThrownBy(() -> c.writeInbound(ascii(RESPONSE.replace("s3pP", "AAAA"))))
                .isInstanceOf(DecoderException.class).hasMessageContaining("bad Sec-WebSocket-Accept");
    }

    @Test
    void closeFrameFromServerIsReported() {
        EmbeddedChannel c = channel();
        c.writeInbound(ascii(RESPONSE));
        c.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x88, 0x02, 0x03, (byte) 0xE8}));
        assertThat(events).containsExactly(WsClientCodec.OPEN, WsClientCodec.CLOSE_FRAME);
    }

    @Test
    void pingIsAnsweredWithAMaskedPong() {
        EmbeddedChannel c = channel();
        c.writeInbound(ascii(RESPONSE));
        c.writeInbound(Unpooled.wrappedBuffer(new byte[] {(byte) 0x89, 0x02, 'h', 'i'}));
        ByteBuf pong = c.readOutbound();
        assertThat((int) pong.getUnsignedByte(0)).isEqualTo(0x8A);
        assertThat((int) pong.getUnsignedByte(1)).isEqualTo(0x82);
        int mask = pong.getInt(2);
        assertThat((byte) (pong.getByte(6) ^ (mask >>> 24))).isEqualTo((byte) 'h');
        assertThat((byte) (pong.getByte(7) ^ (mask >>> 16))).isEqualTo((byte) 'i');
        pong.release();
    }

    @Test
    void fragmentedMessageIsJoined() {
        EmbeddedChannel c = channel();
        c.writeInbound(ascii(RESPONSE));
        c.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x01, 0x02, 'a', 'b', (byte) 0x80, 0x01, 'c'}));
        ByteBuf m = c.readInbound();
        assertThat(m.toString(StandardCharsets.UTF_8)).isEqualTo("abc");
        m.release();
    }

    @Test
    void clientTextFrameIsMaskedWithLengthForms() {
        for (int len : new int[] {0, 125, 126, 65535, 65536}) {
            String s = "a".repeat(len);
            ByteBuf f = WsClientCodec.text(Unpooled.buffer().alloc(), s);
            assertThat((int) f.getUnsignedByte(0)).isEqualTo(0x81);
            int b1 = f.getUnsignedByte(1);
            assertThat(b1 & 0x80).isEqualTo(0x80);
            int head = len < 126 ? 2 : len <= 0xFFFF ? 4 : 10;
            assertThat(f.readableBytes()).isEqualTo(head + 4 + len);
            int mask = f.getInt(head);
            for (int i = 0; i < len; i += 997) {
                int m = (mask >>> (24 - 8 * (i & 3))) & 0xFF;
                assertThat((byte) (f.getByte(head + 4 + i) ^ m)).isEqualTo((byte) 'a');
            }
            f.release();
        }
    }
}
