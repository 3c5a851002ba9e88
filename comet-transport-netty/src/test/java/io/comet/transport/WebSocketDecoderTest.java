package io.comet.transport;

import static io.comet.transport.FrameCodec.OPCODE_BINARY;
import static io.comet.transport.FrameCodec.OPCODE_CLOSE;
import static io.comet.transport.FrameCodec.OPCODE_CONTINUATION;
import static io.comet.transport.FrameCodec.OPCODE_PING;
import static io.comet.transport.FrameCodec.OPCODE_PONG;
import static io.comet.transport.FrameCodec.OPCODE_TEXT;
import static io.comet.transport.WsFrames.LEN16;
import static io.comet.transport.WsFrames.LEN64;
import static io.comet.transport.WsFrames.MASK;
import static io.comet.transport.WsFrames.MINIMAL;
import static io.comet.transport.WsFrames.client;
import static io.comet.transport.WsFrames.concat;
import static io.comet.transport.WsFrames.pong;
import static io.comet.transport.WsFrames.raw;
import static io.comet.transport.WsFrames.serverText;
import static io.comet.transport.WsFrames.text;
import static io.comet.transport.EmbeddedWire.ascii;
import static io.comet.transport.EmbeddedWire.drain;
import static io.comet.transport.EmbeddedWire.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame decoding of the one handler an upgraded connection holds ({@link WebSocketDecoder}
 * under {@link WebSocketHandler}), golden bytes on {@link EmbeddedChannel} through the whole
 * per-connection pipeline, every input fed whole and byte by byte: RFC 6455 violations get the
 * Close frame Netty's {@code WebSocket13FrameDecoder} sent (status and reason text), oversize
 * frames and messages 1009, client Close frames no Close frame (§1.7); pings, fragments, every
 * length form and several frames per read are served; buffers are held only while needed.
 */
class WebSocketDecoderTest {

    private static final String PATH = "/ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js";
    private static final String SENDER = "/ws/sesion=a1b2c3&myid=5&devid=0&v=4.08&uuid=s&api=js";
    private static final String TAIL_PREFIX = "DefaultChannelPipeline$"; // Netty's own head/tail names

    private CometEngine engine;
    private ServerContext context;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    private void start(int maxFramePayload) {
        engine = CometEngine.builder().maintenanceIntervalSeconds(0)
                .clock(Clock.fixed(Instant.ofEpochSecond(1_500_000_000L), ZoneOffset.UTC))
                .config(CometConfig.builder().serverName(EmbeddedWebSocketTest.SERVER).maxMessageBytes(100_000).build())
                .build();
        context = new ServerContext(engine, WebConfig.builder().port(0).maxFramePayload(maxFramePayload).build(), Map.of(),
                getClass().getClassLoader(), "none");
        engine.accounts().putAuthHash(0, 5, "a1b2c3").join();
    }

    @AfterEach
    void tearDown() {
        for (EmbeddedChannel ch : channels) {
            drain(ch);
            assertThat(ch.finish()).as("nothing left in the channel").isFalse();
        }
        if (engine != null) {
            engine.close();
        }
    }

    // ---- fixture

    private EmbeddedChannel channel() {
        if (engine == null) {
            start(WebConfig.DEFAULT_MAX_FRAME_PAYLOAD);
        }
        EmbeddedChannel ch = new EmbeddedChannel();
        CometWebServer.initPipeline(ch.pipeline(), context);
        channels.add(ch);
        return ch;
    }

    private static String request(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: comet.example.com:8087\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n" + extra + "\r\n";
    }

    /** An upgraded connection whose 101 and serverInfo were read and dropped. */
    private EmbeddedChannel connect(String path) {
        EmbeddedChannel ch = channel();
        feed(ch, ascii(request(path, "")), false);
        assertThat(new String(drain(ch), StandardCharsets.ISO_8859_1)).startsWith(EmbeddedWebSocketTest.HANDSHAKE_101)
                .contains("serverInfo");
        return ch;
    }

    private EmbeddedChannel connect() {
        return connect(PATH);
    }




    /** {@code n} letters and digits, the same for the same {@code n}. */
    private static String filler(int n) {
        StringBuilder sb = new StringBuilder(n);
        String abc = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        for (int i = 0; i < n; i++) {
            sb.append(abc.charAt((i * 31 + i / 7) % abc.length()));
        }
        return sb.toString();
    }

    private static byte[] pipeCountAnswer(int count) {
        return serverText("{\"data\":[\"user_in_pipe\"," + count + "],\"event\":\"user_in_pipe\",\"marker\":\"1234567890\","
                + "\"message_send_time\":1500000000,\"pipe\":\"_answer_pipe_count\"}");
    }

    // ---- violations: Close 1002 (1009 for a frame over the limit) with Netty's reason, then TCP closed

    static Stream<Arguments> violations() {
        byte[] x = {'x'};
        byte[] none = {};
        return Stream.of(
                Arguments.of("RSV1 set", raw(0xC1, true, MASK, MINIMAL, 1, x), 1002,
                        "RSV != 0 and no extension negotiated, RSV:4"),
                Arguments.of("RSV3 on a ping", raw(0x99, true, MASK, MINIMAL, 1, x), 1002,
                        "RSV != 0 and no extension negotiated, RSV:1"),
                Arguments.of("reserved data opcode", raw(0x83, true, MASK, MINIMAL, 1, x), 1002,
                        "data frame using reserved opcode 3"),
                Arguments.of("reserved control opcode", raw(0x8F, true, MASK, MINIMAL, 0, none), 1002,
                        "control frame using reserved opcode 15"),
                Arguments.of("unmasked", new byte[] {(byte) 0x81, 0x02, 'h', 'i'}, 1002,
                        "received a frame that is not masked as expected"),
                Arguments.of("fragmented ping", raw(OPCODE_PING, true, MASK, MINIMAL, 1, x), 1002,
                        "fragmented control frame"),
                Arguments.of("126-byte ping", raw(0x89, true, MASK, MINIMAL, 126, new byte[126]), 1002,
                        "control frame with payload length > 125 octets"),
                Arguments.of("close with a 1-byte body", raw(0x88, true, MASK, MINIMAL, 1, x), 1002,
                        "received close control frame with payload len 1"),
                Arguments.of("continuation without a start", client(OPCODE_CONTINUATION, true, "x"), 1002,
                        "received continuation data frame outside fragmented message"),
                Arguments.of("text inside a fragmented message", concat(client(OPCODE_TEXT, false, "subscr"),
                        client(OPCODE_TEXT, true, "iption")), 1002,
                        "received non-continuation data frame while inside fragmented message"),
                Arguments.of("binary inside a fragmented message", concat(client(OPCODE_BINARY, false, "a"),
                        client(OPCODE_CONTINUATION, false, "b"), client(OPCODE_BINARY, false, "c")), 1002,
                        "received non-continuation data frame while inside fragmented message"),
                Arguments.of("64-bit length, top bit set", raw(0x81, true, MASK, LEN64, 0x8000_0000_0000_0005L, none), 1002,
                        "invalid data frame length (negative length)"),
                Arguments.of("16-bit form for 125 bytes", raw(0x81, true, MASK, LEN16, 125, new byte[125]), 1002,
                        "invalid data frame length (not using minimal length encoding)"),
                Arguments.of("64-bit form for 65535 bytes", raw(0x81, true, MASK, LEN64, 65535, none), 1002,
                        "invalid data frame length (not using minimal length encoding)"),
                Arguments.of("after a served ping in the same read", concat(client(OPCODE_PING, true, "p"),
                        raw(0x83, true, MASK, MINIMAL, 0, none)), 1002, "data frame using reserved opcode 3"),
                Arguments.of("64-bit length over the limit", raw(0x81, true, MASK, LEN64, 70_000, none), 1009,
                        "Max frame length of 65535 has been exceeded."),
                Arguments.of("continuation over the limit", concat(client(OPCODE_TEXT, false, "a"),
                        raw(0x80, true, MASK, LEN64, 1L << 40, none)), 1009, "Max frame length of 65535 has been exceeded."));
    }

    static Stream<Arguments> violationsWholeAndByteByByte() {
        return violations().flatMap(a -> Stream.of(false, true).map(b -> {
            Object[] v = a.get();
            return Arguments.of(v[0], v[1], v[2], v[3], b);
        }));
    }

    @ParameterizedTest(name = "{0}, byte by byte: {4}")
    @MethodSource("violationsWholeAndByteByByte")
    void protocolViolationsGetNettysCloseFrameThenTcpIsClosed(String what, byte[] input, int status, String reason,
                                                              boolean byteByByte) {
        EmbeddedChannel ch = connect();
        feed(ch, input, byteByByte);
        byte[] expected = WsFrames.close(status, reason);
        if (what.startsWith("after a served ping")) {
            expected = concat(pong("p"), expected);
        }
        assertThat(drain(ch)).as(what).isEqualTo(expected);
        assertThat(ch.isOpen()).isFalse();
        assertThat(engine.sessions()).isEmpty();
    }

    // a reassembled message over maxFramePayload: Close 1009 "Message too big" (the aggregator path), TCP closed
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reassembledMessageOverTheLimitGets1009(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        feed(ch, concat(client(OPCODE_TEXT, false, "statistics\n" + filler(39_989)),
                client(OPCODE_CONTINUATION, false, filler(20_000)), client(OPCODE_PING, true, "p"),
                client(OPCODE_CONTINUATION, true, filler(5_536))), byteByByte); // 65,536 bytes: one over
        assertThat(drain(ch)).isEqualTo(concat(pong("p"), WsFrames.close(1009, "Message too big")));
        assertThat(ch.isOpen()).isFalse();
    }

    // exactly at the limit is fine
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reassembledMessageOfExactlyTheLimitIsServed(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        feed(ch, concat(client(OPCODE_TEXT, false, "statistics\n" + filler(39_989)),
                client(OPCODE_CONTINUATION, true, filler(25_535)), text("pipe_count\nweb_a\n1234567890\n")), byteByByte);
        assertThat(drain(ch)).isEqualTo(pipeCountAnswer(0));
        assertThat(ch.isOpen()).isTrue();
    }

    // ---- §1.7: a client Close frame → TCP dropped, no Close frame back, nothing after it read

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void closeFrameDropsTcpAndIgnoresWhatFollows(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        feed(ch, concat(raw(0x88, true, MASK, MINIMAL, 5, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}),
                client(OPCODE_PING, true, "after")), byteByByte);
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(engine.sessions()).isEmpty();
    }

    // Netty's decoder answered a Close frame with an invalid status or reason by closing without a frame: the same
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void closeFrameWithABadBodyIsJustDropped(boolean byteByByte) {
        EmbeddedChannel bad = connect();
        feed(bad, raw(0x88, true, MASK, MINIMAL, 2, new byte[] {0x03, (byte) 0xED}), byteByByte); // 1005 is reserved
        EmbeddedChannel empty = connect();
        feed(empty, client(OPCODE_CLOSE, true, new byte[0]), byteByByte);
        for (EmbeddedChannel ch : List.of(bad, empty)) {
            assertThat(drain(ch)).isEmpty();
            assertThat(ch.isOpen()).isFalse();
        }
    }

    // ---- served input

    // Ping → Pong with the same payload (0, 1 and 125 bytes); the client's Pong is ignored
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void pingGetsPongWithTheSamePayloadAndPongIsIgnored(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        String p125 = filler(125);
        feed(ch, concat(client(OPCODE_PING, true, ""), client(OPCODE_PING, true, "a"), client(OPCODE_PONG, true, "ignored"),
                client(OPCODE_PING, true, p125)), byteByByte);
        byte[] out = drain(ch);
        assertThat(out).isEqualTo(concat(new byte[] {(byte) 0x8A, 0x00}, new byte[] {(byte) 0x8A, 0x01, 'a'},
                pong(p125)));
        assertThat(out[2 + 3 + 1]).as("125 fits the 7-bit length").isEqualTo((byte) 125);
        assertThat(ch.isOpen()).isTrue();
    }

    // fragments (text or binary start, empty fragments, control frames between them) are reassembled
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fragmentedMessagesAreReassembled(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        feed(ch, concat(client(OPCODE_TEXT, false, "subscription\nweb"), client(OPCODE_PING, true, "p1"),
                client(OPCODE_CONTINUATION, false, ""), client(OPCODE_CONTINUATION, false, "_fr"),
                client(OPCODE_PONG, true, "x"), client(OPCODE_CONTINUATION, true, "ag")), byteByByte);
        assertThat(drain(ch)).isEqualTo(pong("p1"));
        feed(ch, concat(client(OPCODE_BINARY, false, "pipe_count\nweb_frag\n"),
                client(OPCODE_CONTINUATION, true, "1234567890\n")), byteByByte);
        assertThat(drain(ch)).isEqualTo(pipeCountAnswer(1));
        assertThat(ch.isOpen()).isTrue();
    }

    // several frames in one read: pongs go out at once, the command's answer through the loop's writer
    // (byte by byte, the loop runs between reads: the answer leaves before the second ping arrives)
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void severalFramesInOneRead(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        feed(ch, concat(client(OPCODE_PING, true, "a"), text("pipe_count\nweb_a\n1234567890\n"),
                client(OPCODE_PING, true, "b")), byteByByte);
        assertThat(drain(ch)).isEqualTo(byteByByte ? concat(pong("a"), pipeCountAnswer(0), pong("b"))
                : concat(pong("a"), pong("b"), pipeCountAnswer(0)));
    }

    // payload lengths around every length form (7-bit 125, 16-bit 126 and 65535, 64-bit 65536), unmasked byte for byte
    @ParameterizedTest(name = "{0} bytes, byte by byte: {1}")
    @MethodSource("lengths")
    void maskedPayloadsOfEveryLengthForm(int length, boolean byteByByte) {
        start(70_000);
        EmbeddedChannel sender = connect(SENDER);
        EmbeddedChannel receiver = connect();
        feed(receiver, text("subscription\nweb_chat"), false);
        drain(receiver);
        String prefix = "web_pipe2\nweb_chat\nev\n*\n";
        String msg = filler(length - prefix.length());
        byte[] frame = text(prefix + msg);
        int lengthField = frame[1] & 0x7F;
        assertThat(lengthField).isEqualTo(length <= 125 ? length : length <= 65535 ? 126 : 127);
        feed(sender, frame, byteByByte);
        drain(sender); // the delivery report
        assertThat(drain(receiver)).isEqualTo(serverText("{\"data\":\"" + msg + "\",\"event\":\"ev\","
                + "\"message_send_time\":1500000000,\"pipe\":\"web_chat\",\"user_id\":5}"));
    }

    static Stream<Arguments> lengths() {
        return Stream.of(125, 126, 65535, 65536).flatMap(n -> Stream.of(Arguments.of(n, false), Arguments.of(n, true)));
    }

    // a 0-byte text frame is decoded like any other: an unknown (empty) command, which disconnects (§2.1)
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void emptyTextFrameIsAnEmptyCommand(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        byte[] empty = text("");
        assertThat(empty).hasSize(6);
        feed(ch, empty, byteByByte);
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
    }

    // invalid UTF-8 reassembled from fragments still gets the error frame and keeps the connection (§4.14)
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void invalidUtf8AcrossFragmentsGetsTheErrorFrame(boolean byteByByte) {
        EmbeddedChannel ch = connect();
        feed(ch, concat(client(OPCODE_TEXT, false, new byte[] {'s', 't', (byte) 0xC3}),
                client(OPCODE_CONTINUATION, true, new byte[] {'x'})), byteByByte);
        assertThat(drain(ch)).isEqualTo(serverText("{\"data\":{\"error\":\"Message is not valid UTF-8\","
                + "\"number_messages\":-1},\"event\":\"error\",\"message_send_time\":1500000000,\"pipe\":\"sys\"}"));
        assertThat(ch.isOpen()).isTrue();
    }

    // ---- the pipeline and the buffers

    // after the upgrade, on either path, the pipeline holds exactly one handler (besides Netty's head and tail)
    @ParameterizedTest
    @ValueSource(strings = {"", "Content-Length: 0\r\n"})
    void upgradedPipelineHoldsExactlyOneHandler(String extra) {
        EmbeddedChannel ch = channel();
        feed(ch, ascii(request(PATH, extra)), false);
        assertThat(ch.pipeline().names()).filteredOn(n -> !n.startsWith(TAIL_PREFIX)).containsExactly("ws-handler");
        assertThat(ch.pipeline().names()).hasSize(2); // ws-handler and Netty's tail (names() skips the head)
        assertThat(ch.pipeline().toMap()).containsOnlyKeys("ws-handler");
        assertThat(ch.pipeline().first()).isInstanceOf(WebSocketHandler.class);
        assertThat(new String(drain(ch), StandardCharsets.ISO_8859_1)).startsWith(EmbeddedWebSocketTest.HANDSHAKE_101);
    }

    // a ping right behind the head is answered after the 101, on the fast path and through the HTTP codec
    @ParameterizedTest
    @ValueSource(strings = {"", "Content-Length: 0\r\n"})
    void pingRightBehindTheHeadIsAnsweredAfterThe101(String extra) {
        EmbeddedChannel ch = channel();
        feed(ch, concat(ascii(request(PATH, extra)), client(OPCODE_PING, true, "hi")), false);
        byte[] out = drain(ch);
        byte[] head = ascii(EmbeddedWebSocketTest.HANDSHAKE_101);
        assertThat(Arrays.copyOf(out, head.length)).isEqualTo(head);
        assertThat(Arrays.copyOfRange(out, head.length, head.length + 4)).isEqualTo(pong("hi"));
        assertThat(new String(out, StandardCharsets.ISO_8859_1)).contains("serverInfo");
    }

    // a header announcing 65,535 bytes reserves nothing like it: the buffer grows with the bytes that come
    @Test
    void aHeaderAloneDoesNotReserveTheAnnouncedLength() {
        EmbeddedChannel ch = connect();
        WebSocketHandler h = ch.pipeline().get(WebSocketHandler.class);
        byte[] big = text("statistics\n" + filler(65_535 - 11));
        feed(ch, Arrays.copyOf(big, 20), false);
        assertThat(h.heldCapacity()).isBetween(20, 64);
        for (int at = 20; at < big.length; at += 1000) {
            feed(ch, Arrays.copyOfRange(big, at, Math.min(big.length, at + 1000)), false);
            assertThat(h.heldCapacity()).isLessThanOrEqualTo(Math.max(2 * (at + 1000), 64)).isLessThanOrEqualTo(65_535 + 14);
        }
        assertThat(h.heldCapacity()).isZero();
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    // no buffer while no frame is pending; the fragment buffer only during a fragmented message
    @Test
    void buffersAreHeldOnlyWhileAFrameOrMessageIsIncomplete() {
        EmbeddedChannel ch = connect();
        WebSocketHandler h = ch.pipeline().get(WebSocketHandler.class);
        assertThat(h.holdsBuffers()).isFalse();
        byte[] cmd = text("pipe_count\nweb_a\n1234567890\n");
        feed(ch, Arrays.copyOf(cmd, 1), false);
        assertThat(h.holdsBuffers()).as("one byte of a header").isTrue();
        feed(ch, Arrays.copyOfRange(cmd, 1, 10), false);
        assertThat(h.holdsBuffers()).as("header and part of the payload").isTrue();
        feed(ch, concat(Arrays.copyOfRange(cmd, 10, cmd.length), Arrays.copyOf(cmd, 7)), false);
        assertThat(h.holdsBuffers()).as("a whole frame and the start of the next").isTrue();
        feed(ch, Arrays.copyOfRange(cmd, 7, cmd.length), false);
        assertThat(h.holdsBuffers()).as("drained").isFalse();
        assertThat(drain(ch)).isEqualTo(concat(pipeCountAnswer(0), pipeCountAnswer(0)));
        feed(ch, client(OPCODE_TEXT, false, "pipe_count\n"), false);
        assertThat(h.holdsBuffers()).as("inside a fragmented message").isTrue();
        feed(ch, client(OPCODE_CONTINUATION, true, "web_a\n1234567890\n"), false);
        assertThat(h.holdsBuffers()).as("message complete").isFalse();
        assertThat(drain(ch)).isEqualTo(pipeCountAnswer(0));
        feed(ch, concat(cmd, Arrays.copyOf(cmd, 3)), false);
        ch.close();
        assertThat(h.holdsBuffers()).as("released on close").isFalse();
    }
}
