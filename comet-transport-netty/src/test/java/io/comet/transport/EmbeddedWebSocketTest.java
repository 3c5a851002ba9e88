package io.comet.transport;

import static io.comet.transport.EmbeddedWire.ascii;
import static io.comet.transport.EmbeddedWire.drain;
import static io.comet.transport.EmbeddedWire.feed;
import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.WsFrame;
import io.comet.core.CometConfig;
import io.comet.core.engine.CometEngine;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole per-connection pipeline on {@link EmbeddedChannel}: golden frames taken from the
 * transcripts of client-protocol.md (§1.4, §1.6, §2.4–§2.8, §3.7), every input fed whole and
 * byte by byte. Everything read is released and every channel must {@code finish()} clean.
 */
class EmbeddedWebSocketTest {

    static final String SERVER = "CppComet community 4.09 (AGPL license)";
    static final String HANDSHAKE_101 = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Version: 13\r\n\r\n";

    private CometEngine engine;
    private ServerContext context;
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @BeforeEach
    void setUp() {
        engine = CometEngine.builder().maintenanceIntervalSeconds(0)
                .clock(Clock.fixed(Instant.ofEpochSecond(1_500_000_000L), ZoneOffset.UTC))
                .config(CometConfig.builder().serverName(SERVER).build()).build();
        context = new ServerContext(engine, WebConfig.builder().port(0).build(), Map.of(), getClass().getClassLoader(),
                "none");
        engine.accounts().putAuthHash(0, 5, "a1b2c3").join();
    }

    @AfterEach
    void tearDown() {
        for (EmbeddedChannel ch : channels) {
            drain(ch);
            assertThat(ch.finish()).as("nothing left in the channel").isFalse();
        }
        engine.close();
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        CometWebServer.initPipeline(ch.pipeline(), context);
        channels.add(ch);
        return ch;
    }

    private static String request(String path, String extra) {
        return "GET " + path + " HTTP/1.1\r\nHost: comet.example.com:8087\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Origin: https://site.example\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n" + extra + "\r\n";
    }



    /** The unmasked FIN text frame the server must send for {@code json}. */
    static byte[] textFrame(String json) {
        byte[] p = json.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x81);
        if (p.length < 126) {
            b.write(p.length);
        } else {
            b.write(126);
            b.write(p.length >>> 8);
            b.write(p.length & 0xFF);
        }
        b.writeBytes(p);
        return b.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }


    private EmbeddedChannel connect(String path, boolean byteByByte) {
        EmbeddedChannel ch = channel();
        feed(ch, ascii(request(path, "")), byteByByte);
        return ch;
    }

    // §1.4 + §1.6: 101 with the exact header set, then serverInfo first
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void handshakeThenServerInfo(boolean byteByByte) {
        EmbeddedChannel ch = connect("/ws/sesion=a1b2c3&myid=5&devid=0&v=4.08&uuid=tMpNjHaKsxl_LmXmKY0fzqDjCuTPF17e&api=js",
                byteByByte);
        String serverInfo = "{\"authorized\":true,\"data\":\"a1b2c3\",\"event\":\"serverInfo\",\"message_send_time\":1500000000,"
                + "\"pipe\":\"sys\",\"server\":\"CppComet community 4.09 (AGPL license)\"}";
        assertThat(drain(ch)).isEqualTo(concat(ascii(HANDSHAKE_101), textFrame(serverInfo)));
        assertThat(ch.isActive()).isTrue();
    }

    // §1.5: a 145-byte serverInfo starts 81 7E 00 91
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void longerPayloadsUseTheSixteenBitLength(boolean byteByByte) {
        engine.accounts().putAuthHash(0, 12345, "0123456789abcdefghijABCDEFGHIJ01").join();
        EmbeddedChannel ch = connect("/ws/sesion=0123456789abcdefghijABCDEFGHIJ01&myid=12345&devid=0&v=4.08&uuid=u&api=js",
                byteByByte);
        byte[] out = drain(ch);
        byte[] frame = java.util.Arrays.copyOfRange(out, HANDSHAKE_101.length(), out.length);
        assertThat(frame.length - 4).isGreaterThanOrEqualTo(126);
        assertThat(frame[0]).isEqualTo((byte) 0x81);
        assertThat(frame[1]).isEqualTo((byte) 0x7E);
        assertThat(((frame[2] & 0xFF) << 8) | (frame[3] & 0xFF)).isEqualTo(frame.length - 4);
    }

    // §2.4: the delivery report and the stamped copy, golden; commands fed whole and byte by byte
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void webPipe2GoldenFrames(boolean byteByByte) {
        EmbeddedChannel sender = connect("/ws/sesion=a1b2c3&myid=5&devid=0&v=4.08&uuid=s&api=js", byteByByte);
        EmbeddedChannel r1 = connect("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=r1&api=js", byteByByte);
        EmbeddedChannel r2 = connect("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=r2&api=js", byteByByte);
        byte[] sub = WsFrame.masked(1, true, ascii("subscription\nweb_chat"));
        feed(r1, sub, byteByByte);
        feed(r2, sub, byteByByte);
        drain(sender);
        drain(r1);
        drain(r2);
        feed(sender, WsFrame.masked(1, true,
                "web_pipe2\nweb_chat\nnewmsg\n*\n{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8)), byteByByte);
        assertThat(drain(sender)).isEqualTo(textFrame("{\"data\":{\"message\":\"{\\\"text\\\":\\\"hello\\\"}\",\"number_messages\":2},"
                + "\"event\":\"answer\",\"message_send_time\":1500000000,\"pipe\":\"_answer_to_web_chat\"}"));
        byte[] copy = textFrame("{\"data\":\"{\\\"text\\\":\\\"hello\\\"}\",\"event\":\"newmsg\",\"message_send_time\":1500000000,"
                + "\"pipe\":\"web_chat\",\"user_id\":5}");
        assertThat(drain(r1)).isEqualTo(copy);
        assertThat(drain(r2)).isEqualTo(copy);
    }

    // §2.6, §2.7, §2.8 golden replies
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void markerRepliesGolden(boolean byteByByte) {
        engine.accounts().putUserData(0, 7, "{\"name\":\"Bob\"}").join();
        EmbeddedChannel ch = connect("/ws/sesion=a1b2c3&myid=5&devid=0&v=4.08&uuid=tMpNjHaKsxl_LmXmKY0fzqDjCuTPF17e&api=js",
                byteByByte);
        feed(ch, WsFrame.masked(1, true, ascii("subscription\ntrack_online\nweb_chat")), byteByByte);
        drain(ch);
        feed(ch, WsFrame.masked(1, true, ascii("pipe_count\nweb_chat\n4935884426\n")), byteByByte);
        assertThat(drain(ch)).isEqualTo(textFrame("{\"data\":[\"user_in_pipe\",1],\"event\":\"user_in_pipe\","
                + "\"marker\":\"4935884426\",\"message_send_time\":1500000000,\"pipe\":\"_answer_pipe_count\"}"));
        feed(ch, WsFrame.masked(1, true, ascii("track_pipe_users\ntrack_online\n5300317326")), byteByByte);
        assertThat(drain(ch)).isEqualTo(textFrame("{\"_info\":\"answer for track_pipe_users\",\"data\":[{\"user_id\":5,"
                + "\"uuid\":\"tMpNjHaKsxl_LmXmKY0fzqDjCuTPF17e\"}],\"event\":\"answer\",\"marker\":\"5300317326\","
                + "\"message_send_time\":1500000000,\"pipe\":\"_answer\"}"));
        feed(ch, WsFrame.masked(1, true, ascii("user_data\n5598169083\n7")), byteByByte);
        assertThat(drain(ch)).isEqualTo(textFrame("{\"data\":{\"user_data\":\"{\\\"name\\\":\\\"Bob\\\"}\",\"user_id\":7},"
                + "\"event\":\"answer\",\"marker\":\"5598169083\",\"message_send_time\":1500000000,\"pipe\":\"_answer\"}"));
    }

    // §3.7: the legacy track event of the spec, byte for byte
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void legacyTrackEventGolden(boolean byteByByte) {
        EmbeddedChannel v3 = connect("/ws/sesion=&myid=0&devid=0&v=3.25&uuid=x&api=js", byteByByte);
        feed(v3, WsFrame.masked(1, true, ascii("subscription\ntrack_x")), byteByByte);
        drain(v3);
        engine.accounts().putAuthHash(0, 5, "h").join();
        EmbeddedChannel u = connect("/ws/sesion=h&myid=5&devid=0&v=4.08&uuid=U&api=js", byteByByte);
        feed(u, WsFrame.masked(1, true, ascii("subscription\ntrack_x")), byteByByte);
        drain(u);
        assertThat(drain(v3)).isEqualTo(textFrame("{\"api_data\":\"for major_version < 4\",\"data\":\"{\\\"user_id\\\":5,"
                + "\\\"uuid\\\":\\\"U\\\"}\",\"event\":\"subscription\",\"event_name\":\"subscription\","
                + "\"message_send_time\":1500000000,\"pipe\":\"track_x\"}"));
    }

    // §1.4: 406 in the legacy form (version not parsed yet), then TCP closed; no Close frame
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void urlError406Golden(boolean byteByByte) {
        EmbeddedChannel ch = connect("/ws/sesion=&myid=1", byteByByte);
        assertThat(drain(ch)).isEqualTo(concat(ascii(HANDSHAKE_101), textFrame("{\"api_data\":\"for major_version < 4\","
                + "\"data\":\"{\\\"error\\\":\\\"Error code 406(Invalid request, no public key found [1])\\\","
                + "\\\"error_code\\\":406,\\\"info\\\":\\\"Closed due to error. See last message.\\\"}\",\"event\":\"error\","
                + "\"event_name\":\"error\",\"message_send_time\":1500000000,\"pipe\":\"sys\"}")));
        assertThat(ch.isOpen()).isFalse();
    }

    // §1.4: 418 with v=4.x in the object form (note the newline inside the text)
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void urlError418Golden(boolean byteByByte) {
        EmbeddedChannel ch = connect("/ws/sesion=&myid=1&devid=0&v=4.08", byteByByte);
        assertThat(drain(ch)).isEqualTo(concat(ascii(HANDSHAKE_101), textFrame("{\"data\":{\"error\":\"Error code 418(Invalid "
                + "request Not assigned client api version)\\n\",\"error_code\":418,\"info\":\"Closed due to error. See last "
                + "message.\"},\"event\":\"error\",\"message_send_time\":1500000000,\"pipe\":\"sys\"}")));
        assertThat(ch.isOpen()).isFalse();
    }

    // §1.7: Close frame in → TCP closed, nothing written back
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void clientCloseFrameGetsNoCloseFrame(boolean byteByByte) {
        EmbeddedChannel ch = connect("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js", byteByByte);
        drain(ch);
        feed(ch, WsFrame.masked(8, true, new byte[] {0x03, (byte) 0xE8}), byteByByte);
        assertThat(drain(ch)).isEmpty();
        assertThat(ch.isOpen()).isFalse();
        assertThat(engine.sessions()).isEmpty();
    }

    // §1.5 / issue point 8: oversize frames are closed with 1009
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void oversizeFrameIsClosedWith1009(boolean byteByByte) {
        EmbeddedChannel ch = connect("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js", false);
        drain(ch);
        byte[] big = WsFrame.masked(1, true, new byte[70_000]);
        // the header alone decides: feed only the first 20 bytes
        feed(ch, java.util.Arrays.copyOf(big, 20), byteByByte);
        byte[] out = drain(ch);
        assertThat(out[0]).as("Close frame, FIN").isEqualTo((byte) 0x88);
        assertThat(out[1] & 0x7F).isEqualTo(out.length - 2);
        assertThat(((out[2] & 0xFF) << 8) | (out[3] & 0xFF)).as("status 1009").isEqualTo(1009);
        assertThat(ch.isOpen()).isFalse();
    }

    // §1.5: a command split across reads and two frames in one read are both handled
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void framesAcrossAndWithinReads(boolean byteByByte) {
        EmbeddedChannel ch = connect("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js", false);
        drain(ch);
        feed(ch, concat(WsFrame.masked(1, true, ascii("subscription\nweb_a")),
                WsFrame.masked(1, true, ascii("pipe_count\nweb_a\n1234567890\n"))), byteByByte);
        assertThat(new String(drain(ch), StandardCharsets.UTF_8)).contains("[\"user_in_pipe\",1]");
    }

    // the fast path: a browser's upgrade never builds the HTTP codec, the request arriving in pieces included
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void plainUpgradeTakesTheFastPathWithoutTheHttpCodec(boolean byteByByte) {
        EmbeddedChannel ch = channel();
        byte[] req = ascii(request("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js", "User-Agent: Mozilla/5.0\r\n"));
        feed(ch, java.util.Arrays.copyOf(req, req.length - 2), byteByByte);
        assertThat(ch.pipeline().get(HttpServerCodec.class)).as("codec while the head is incomplete").isNull();
        assertThat(drain(ch)).isEmpty();
        feed(ch, ascii("\r\n"), false);
        assertThat(ch.pipeline().get(HttpServerCodec.class)).isNull();
        assertThat(ch.pipeline().toMap()).as("the one handler of an upgraded connection").containsOnlyKeys("ws-handler");
        assertThat(ch.pipeline().get(UpgradeFastPath.class)).isNull();
        assertThat(new String(drain(ch), StandardCharsets.ISO_8859_1)).startsWith(HANDSHAKE_101).contains("serverInfo");
    }

    // requests the fast path does not find plain still upgrade, through the HTTP stage, with the same bytes
    @ParameterizedTest
    @ValueSource(strings = {"Content-Length: 0\r\n", "X-Folded: a\r\n b\r\n", "X-Utf8: \u00e9\r\n"})
    void upgradesTheFastPathDeclinesGoThroughTheHttpStage(String extra) {
        EmbeddedChannel ch = channel();
        feed(ch, request("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js", extra).getBytes(StandardCharsets.ISO_8859_1),
                false);
        String out = new String(drain(ch), StandardCharsets.ISO_8859_1);
        assertThat(out).startsWith(HANDSHAKE_101).contains("\"event\":\"serverInfo\"");
        assertThat(ch.pipeline().get(HttpServerCodec.class)).isNull();
        assertThat(ch.pipeline().names()).contains("ws-handler");
        assertThat(ch.isActive()).isTrue();
    }

    // a frame sent in the same read as the head (pipelined behind it) is not lost
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void frameRightBehindTheHeadIsHandled(boolean plain) {
        EmbeddedChannel ch = channel();
        String head = request("/ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js", plain ? "" : "Content-Length: 0\r\n");
        feed(ch, concat(ascii(head), WsFrame.masked(1, true, ascii("subscription\nweb_a")),
                WsFrame.masked(1, true, ascii("pipe_count\nweb_a\n1234567890\n"))), false);
        assertThat(new String(drain(ch), StandardCharsets.UTF_8)).contains("serverInfo").contains("[\"user_in_pipe\",1]");
    }

    // other routes go to the HTTP stage untouched (the bytes read so far included)
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void otherRequestsReachTheHttpStage(boolean byteByByte) {
        EmbeddedChannel ch = channel();
        feed(ch, ascii("GET /info HTTP/1.1\r\nHost: x\r\n\r\n"), byteByByte);
        String out = new String(drain(ch), StandardCharsets.ISO_8859_1);
        assertThat(out).startsWith("HTTP/1.1 200 OK").contains("{\"status\":\"ok\"");
        assertThat(ch.isOpen()).isFalse();
    }

    @org.junit.jupiter.api.Test
    void parseTakesOnlyPlainRequests() {
        String ok = "GET /comet-server/ws/sesion=&myid=0 HTTP/1.1\r\nsec-websocket-key:  k== \r\nOrigin: o\r\n"
                + "origin: second\r\nSec-WebSocket-Protocol: x";
        WebSocketUpgrade.Request r = UpgradeFastPath.parse(ok);
        assertThat(r).isEqualTo(new WebSocketUpgrade.Request("sesion=&myid=0", "k==", "o", null, null, true));
        assertThat(UpgradeFastPath.parse("GET /ws/x HTTP/1.0\r\nA: b")).isNull();
        assertThat(UpgradeFastPath.parse("GET /info HTTP/1.1\r\nA: b")).isNull();
        assertThat(UpgradeFastPath.parse("GET /ws/x HTTP/1.1\r\nA : b")).isNull();
        assertThat(UpgradeFastPath.parse("GET /ws/x HTTP/1.1\r\nnocolon")).isNull();
        assertThat(UpgradeFastPath.parse("GET /ws/x HTTP/1.1\r\nTransfer-Encoding: chunked")).isNull();
        assertThat(UpgradeFastPath.parse("GET /ws/\u0001 HTTP/1.1")).isNull();
    }
}
