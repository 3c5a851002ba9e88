package io.comet.transport;

import static io.comet.transport.FrameCodec.OPCODE_BINARY;
import static io.comet.transport.FrameCodec.OPCODE_CLOSE;
import static io.comet.transport.FrameCodec.OPCODE_CONTINUATION;
import static io.comet.transport.FrameCodec.OPCODE_PING;
import static io.comet.transport.FrameCodec.OPCODE_PONG;
import static io.comet.transport.FrameCodec.OPCODE_TEXT;
import static io.comet.transport.EmbeddedWire.drain;
import static io.comet.transport.EmbeddedWire.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated client byte streams (fixed seeds, random read sizes). Differential: our
 * decoder must deliver the same messages, write the same bytes (pongs, Close frames) and end in
 * the same state as the pipeline it replaced — Netty's {@code WebSocket13FrameDecoder}
 * ({@code closeOnProtocolViolation}), {@code WebSocketFrameAggregator} and what the handler did
 * with their frames. Whole pipeline: every stream ends in a served connection (a ping still
 * gets its pong) or a closed one without a session. The leak extension fails the class on any
 * unreleased buffer.
 */
class WebSocketDecoderFuzzTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] TOO_BIG = WsFrames.close(1009, "Message too big");

    /** Our decoder, recording what it delivers. */
    static final class Recorder extends WebSocketDecoder {
        private final int max;
        final List<String> messages = new ArrayList<>();

        Recorder(int max) {
            this.max = max;
        }

        @Override
        int maxPayload() {
            return max;
        }

        @Override
        long frameTimeoutNanos() {
            return java.util.concurrent.TimeUnit.HOURS.toNanos(1);
        }

        @Override
        void onMessage(ChannelHandlerContext ctx, ByteBuf buf, int index, int length) {
            if (ctx.channel().isOpen()) {
                messages.add(HEX.formatHex(ByteBufUtil.getBytes(buf, index, length)));
            }
        }

        @Override
        void onClose(ChannelHandlerContext ctx) {
            ctx.close();
        }

        @Override
        void onBadFrame(ChannelHandlerContext ctx, String what) {
        }
    }

    /** What the old WebSocketHandler did with the frames of Netty's decoder and aggregator. */
    static final class Reference extends ChannelInboundHandlerAdapter {
        final List<String> messages = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                    if (ctx.channel().isOpen()) {
                        messages.add(HEX.formatHex(ByteBufUtil.getBytes(((WebSocketFrame) msg).content())));
                    }
                } else if (msg instanceof CloseWebSocketFrame) {
                    ctx.close();
                } else if (msg instanceof PingWebSocketFrame p) {
                    ctx.writeAndFlush(new PongWebSocketFrame(p.content().retain()));
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (cause instanceof TooLongFrameException) {
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.MESSAGE_TOO_BIG)).addListener(f -> ctx.close());
            } else {
                ctx.close();
            }
        }
    }

    private static EmbeddedChannel reference(int max, Reference handler) {
        WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(max)
                .expectMaskedFrames(true).allowMaskMismatch(false).allowExtensions(false).closeOnProtocolViolation(true)
                .withUTF8Validator(false).build();
        return new EmbeddedChannel(new WebSocket13FrameEncoder(false), new WebSocket13FrameDecoder(config),
                new WebSocketFrameAggregator(max), handler);
    }

    // ---- random streams

    /** A few frames, valid on their own (fragment order kept), then sometimes mutated. */
    static byte[] stream(Random r, int max, List<byte[]> commands) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean fragmented = false;
        int frames = 1 + r.nextInt(8);
        for (int i = 0; i < frames; i++) {
            int kind = r.nextInt(20);
            int mask = r.nextInt(10) == 0 ? 0 : r.nextInt();
            int form = r.nextInt(30) == 0 ? (r.nextBoolean() ? WsFrames.LEN16 : WsFrames.LEN64) : WsFrames.MINIMAL;
            if (kind < 12) {
                byte[] payload = commands != null && r.nextInt(4) != 0 ? commands.get(r.nextInt(commands.size()))
                        : payload(r, max);
                boolean fin = r.nextInt(3) != 0;
                int opcode = fragmented ? OPCODE_CONTINUATION : r.nextBoolean() ? OPCODE_TEXT : OPCODE_BINARY;
                if (fragmented && commands != null) {
                    payload = Arrays.copyOf(payload, r.nextInt(payload.length + 1)); // keeps the reassembly short
                }
                fragmented = !fin;
                out.writeBytes(WsFrames.raw((fin ? 0x80 : 0) | opcode, true, mask, form, payload.length, payload));
            } else if (kind < 17) {
                byte[] payload = new byte[r.nextInt(40) == 0 ? 126 : r.nextInt(r.nextBoolean() ? 4 : 126)];
                r.nextBytes(payload);
                out.writeBytes(WsFrames.raw(0x80 | (kind < 15 ? OPCODE_PING : OPCODE_PONG), true, mask, form, payload.length,
                        payload));
            } else if (kind == 17 && r.nextInt(4) == 0) {
                byte[] payload = r.nextBoolean() ? new byte[0] : new byte[] {0x03, (byte) 0xE8, 'o', 'k'};
                out.writeBytes(WsFrames.raw(0x80 | OPCODE_CLOSE, true, mask, form, payload.length, payload));
            }
        }
        byte[] s = out.toByteArray();
        int mutations = r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(3);
        for (int m = 0; m < mutations && s.length > 0; m++) {
            int at = r.nextInt(s.length);
            switch (r.nextInt(6)) {
                case 0 -> s[at] ^= (byte) (1 << r.nextInt(8));
                case 1 -> s[at] = (byte) r.nextInt(256);
                case 2 -> s = concat(Arrays.copyOf(s, at), Arrays.copyOfRange(s, at + 1, s.length));
                case 3 -> s = concat(Arrays.copyOf(s, at), new byte[] {(byte) r.nextInt(256)}, Arrays.copyOfRange(s, at, s.length));
                case 4 -> s = Arrays.copyOf(s, at);
                default -> s[at] ^= (byte) 0x80; // FIN or MASK bit where it hits a header
            }
        }
        return s;
    }

    private static byte[] payload(Random r, int max) {
        int n = switch (r.nextInt(6)) {
            case 0 -> r.nextInt(3);
            case 1 -> 120 + r.nextInt(10);
            case 2 -> Math.max(0, max - 3 + r.nextInt(6));
            default -> r.nextInt(Math.min(max, 300));
        };
        byte[] p = new byte[n];
        r.nextBytes(p);
        return p;
    }

    private static byte[] concat(byte[]... parts) {
        return WsFrames.concat(parts);
    }

    /** Feeds {@code s} to the channel in random slices, stopping when it closes. */
    private static void feedInSlices(EmbeddedChannel ch, byte[] s, int[] cuts) {
        int from = 0;
        for (int cut : cuts) {
            if (!ch.isOpen()) {
                break;
            }
            ch.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(s, from, cut)));
            ch.runPendingTasks();
            from = cut;
        }
        ReferenceCountUtil.release(ch.readInbound());
    }

    private static int[] cuts(Random r, int length) {
        List<Integer> cuts = new ArrayList<>();
        int at = 0;
        int style = length > 2000 ? 2 + r.nextInt(2) : r.nextInt(4); // long streams byte by byte cost minutes under paranoid leak tracking
        while (at < length) {
            at += switch (style) {
                case 0 -> 1;
                case 1 -> 1 + r.nextInt(7);
                case 2 -> 1 + r.nextInt(200);
                default -> length;
            };
            cuts.add(Math.min(at, length));
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }

    // ---- differential against the old pipeline

    @Test
    void randomStreamsDecodeLikeNettysDecoderAndAggregator() {
        int earlyTooBig = 0;
        int served = 0;
        int refused = 0;
        int dropped = 0;
        int messages = 0;
        for (int i = 0; i < 2000; i++) {
            Random r = new Random(6455L * 1_000_003 + i);
            int max = i % 25 == 24 ? 70_000 : 125 + r.nextInt(300); // 70,000: 64-bit lengths within the limit
            byte[] s = stream(r, max, null);
            int[] cuts = cuts(r, s.length);
            String what = "stream " + i + " (max " + max + "): " + HEX.formatHex(s, 0, Math.min(s.length, 64));

            Recorder ours = new Recorder(max);
            EmbeddedChannel o = new EmbeddedChannel(ours);
            Reference theirs = new Reference();
            EmbeddedChannel t = reference(max, theirs);
            feedInSlices(o, s, cuts);
            feedInSlices(t, s, cuts);

            byte[] oOut = drain(o);
            byte[] tOut = drain(t);
            assertThat(ours.messages).as(what).isEqualTo(theirs.messages);
            if (!o.isOpen() && t.isOpen() && endsWith(oOut, TOO_BIG)) {
                // the one difference: a continuation passing the limit is refused from its header,
                // Netty's aggregator waited for its payload (which this stream cuts short)
                assertThat(Arrays.copyOf(oOut, oOut.length - TOO_BIG.length)).as(what).isEqualTo(tOut);
                earlyTooBig++;
            } else {
                assertThat(HEX.formatHex(oOut)).as(what).isEqualTo(HEX.formatHex(tOut));
                assertThat(o.isOpen()).as(what).isEqualTo(t.isOpen());
            }
            messages += ours.messages.size();
            if (o.isOpen()) {
                served++;
            } else if (closeStatus(oOut) == 1002 || closeStatus(oOut) == 1009) {
                refused++;
            } else {
                dropped++;
            }
            if (o.isOpen() && !ours.holdsBuffers()) {
                // served: between frames, a ping still gets its pong
                feed(o, WsFrames.client(OPCODE_PING, true, "ok"), false);
                assertThat(drain(o)).as(what).isEqualTo(WsFrames.pong("ok"));
            }
            o.close();
            t.close();
            assertThat(ours.holdsBuffers()).as(what).isFalse();
            drain(o);
            drain(t);
            assertThat(o.finish()).isFalse();
            t.finishAndReleaseAll();
        }
        // the streams reach every outcome often enough to mean something
        assertThat(served).as("served").isGreaterThan(500);
        assertThat(refused).as("closed with 1002/1009").isGreaterThan(500);
        assertThat(dropped).as("closed without a Close frame (client Close)").isGreaterThan(30);
        assertThat(messages).as("messages delivered").isGreaterThan(1500);
        assertThat(earlyTooBig).as("streams cut inside an oversize continuation").isLessThan(200);
    }

    /** The status of the Close frame that ends {@code out}, or -1. */
    private static int closeStatus(byte[] out) {
        for (int at = 0; at + 1 < out.length; ) {
            int len = out[at + 1] & 0x7F;
            int header = len == 126 ? 4 : len == 127 ? 10 : 2;
            if (len >= 126) {
                return -1; // only pongs and Close frames (short) are expected here
            }
            if ((out[at] & 0x0F) == OPCODE_CLOSE && at + header + len == out.length && len >= 2) {
                return ((out[at + 2] & 0xFF) << 8) | (out[at + 3] & 0xFF);
            }
            at += header + len;
        }
        return -1;
    }

    private static boolean endsWith(byte[] a, byte[] suffix) {
        return a.length >= suffix.length
                && Arrays.equals(a, a.length - suffix.length, a.length, suffix, 0, suffix.length);
    }

    // ---- the whole pipeline: served or closed, never a leak

    @Test
    void randomStreamsThroughTheWholePipelineEndServedOrClosed() {
        CometEngine engine = CometEngine.builder().maintenanceIntervalSeconds(0)
                .config(CometConfig.builder().build()).build();
        ServerContext context = new ServerContext(engine, WebConfig.builder().port(0).maxFramePayload(300).build(),
                Map.of(), getClass().getClassLoader(), "none");
        List<byte[]> commands = List.of("subscription\nweb_a\nweb_b".getBytes(StandardCharsets.UTF_8),
                "pipe_count\nweb_a\n1234567890\n".getBytes(StandardCharsets.UTF_8),
                "statistics\n{\"url\":\"x\"}".getBytes(StandardCharsets.UTF_8),
                "web_pipe2\nweb_a\nev\n*\nhello".getBytes(StandardCharsets.UTF_8),
                new byte[] {'p', 'i', 'p', 'e', (byte) 0xC3});
        try {
            for (int i = 0; i < 600; i++) {
                Random r = new Random(17L * 1_000_003 + i);
                byte[] s = stream(r, 300, commands);
                String what = "stream " + i + ": " + HEX.formatHex(s, 0, Math.min(s.length, 64));
                EmbeddedChannel ch = new EmbeddedChannel();
                CometWebServer.initPipeline(ch.pipeline(), context);
                feed(ch, ("GET /ws/sesion=&myid=0&devid=0&v=4.08&uuid=u" + i + "&api=js HTTP/1.1\r\nHost: x\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), false);
                WebSocketHandler h = ch.pipeline().get(WebSocketHandler.class);
                assertThat(h).isNotNull();
                feedInSlices(ch, s, cuts(r, s.length));
                for (int k = 0; k < 5; k++) {
                    ch.runPendingTasks();
                }
                drain(ch);
                if (ch.isOpen()) {
                    assertThat(engine.sessions()).as(what).hasSize(1);
                    if (!h.holdsBuffers()) {
                        feed(ch, WsFrames.client(OPCODE_PING, true, "ok"), false);
                        assertThat(drain(ch)).as(what).isEqualTo(WsFrames.pong("ok"));
                    }
                } else {
                    assertThat(engine.sessions()).as(what).isEmpty();
                    assertThat(h.holdsBuffers()).as(what).isFalse();
                }
                ch.close();
                drain(ch);
                assertThat(ch.finish()).isFalse();
                assertThat(engine.sessions()).as(what).isEmpty();
                assertThat(h.holdsBuffers()).as(what).isFalse();
            }
        } finally {
            engine.close();
        }
    }
}
