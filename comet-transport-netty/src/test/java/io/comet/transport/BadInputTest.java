package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.WsFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue point 8: malformed, binary, oversize, invalid UTF-8 frames, unknown commands, invalid
 * names, too many subscriptions and garbage HTTP each get the spec's error or a clean close,
 * while a healthy client on the same server keeps receiving.
 */
class BadInputTest {

    private static final Duration T = Duration.ofSeconds(5);

    private ServerFixture f;
    private CometWsClient healthy;
    private final AtomicInteger seq = new AtomicInteger();

    @BeforeEach
    void start() throws IOException {
        f = new ServerFixture();
        healthy = f.anonymous("healthy");
        healthy.await("sys", "serverInfo");
        healthy.send("subscription\nweb_news");
        await("healthy subscribed").atMost(T).until(() -> f.engine.subscriberCount(0, "web_news") == 1);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** The healthy client still gets a fresh publish. */
    private void healthyStillReceives() {
        String ev = "e" + seq.incrementAndGet();
        f.engine.publish(0, "web_news", ev, "still here");
        healthy.await("web_news", ev);
        assertThat(healthy.isEof()).isFalse();
    }

    private CometWsClient bad() throws IOException {
        CometWsClient c = f.anonymous("bad" + seq.incrementAndGet());
        c.await("sys", "serverInfo");
        return c;
    }

    @Test
    void unknownCommandDisconnects() throws Exception {
        CometWsClient c = bad();
        c.send("hello\nworld");
        c.awaitEof(T);
        assertThat(c.count(8)).isZero();
        healthyStillReceives();
    }

    @Test
    void binaryFramesAreTreatedLikeText() throws Exception {
        CometWsClient c = bad();
        c.sendFrame(2, true, "subscription\nweb_news".getBytes(StandardCharsets.UTF_8));
        await("binary subscription").atMost(T).until(() -> f.engine.subscriberCount(0, "web_news") == 2);
        c.sendFrame(2, true, new byte[] {1, 2, 3, (byte) 0xFF});
        Map<String, Object> err = c.await("sys", "error");
        assertThat(err.get("data")).isEqualTo(Map.of("error", "Message is not valid UTF-8", "number_messages", -1L));
        healthyStillReceives();
    }

    @Test
    void invalidUtf8IsRejectedWithAnErrorFrame() throws Exception {
        CometWsClient c = bad();
        byte[] cmd = "web_pipe2\nweb_news\nev\n*\n\"x".getBytes(StandardCharsets.UTF_8);
        byte[] withBad = java.util.Arrays.copyOf(cmd, cmd.length + 2);
        withBad[cmd.length] = (byte) 0xC3; // truncated 2-byte sequence
        withBad[cmd.length + 1] = '"';
        c.send("subscription\nweb_x");
        c.sendFrame(1, true, withBad);
        assertThat(c.await("sys", "error").get("data")).isEqualTo(Map.of("error", "Message is not valid UTF-8",
                "number_messages", -1L));
        assertThat(healthy.messages()).noneMatch(m -> "ev".equals(m.get("event")));
        healthyStillReceives();
    }

    @Test
    void oversizeFrameIsClosedWith1009() throws Exception {
        CometWsClient c = bad();
        c.sendFrame(1, true, new byte[70_000]);
        c.awaitEof(T);
        WsFrame close = c.frames().stream().filter(x -> x.opcode() == 8).findFirst().orElseThrow();
        assertThat(((close.payload()[0] & 0xFF) << 8) | (close.payload()[1] & 0xFF)).isEqualTo(1009);
        healthyStillReceives();
    }

    @Test
    void malformedFramesAreClosedCleanly() throws Exception {
        CometWsClient unmasked = bad();
        unmasked.sendRaw(new byte[] {(byte) 0x81, 0x02, 'h', 'i'}); // clients must mask
        unmasked.awaitEof(T);
        CometWsClient badOpcode = bad();
        badOpcode.sendRaw(WsFrame.masked(0x3, true, new byte[] {1})); // reserved opcode
        badOpcode.awaitEof(T);
        CometWsClient continuationFirst = bad();
        continuationFirst.sendRaw(WsFrame.masked(0x0, true, new byte[] {1}));
        continuationFirst.awaitEof(T);
        healthyStillReceives();
    }

    @Test
    void fragmentedMessageIsReassembled() throws Exception {
        CometWsClient c = bad();
        c.sendFrame(1, false, "subscription\nweb_".getBytes(StandardCharsets.UTF_8));
        c.sendFrame(0, true, "news".getBytes(StandardCharsets.UTF_8));
        await("subscribed").atMost(T).until(() -> f.engine.subscriberCount(0, "web_news") == 2);
        healthyStillReceives();
    }

    @Test
    void invalidNamesGetErrorsAndKeepTheConnection() throws Exception {
        CometWsClient c = bad();
        c.send("pipe_count\nweb_a.b\n1234567890\n");
        c.send("web_pipe2\nweb_" + "x".repeat(70) + "\nev\n*\n\"x\"");
        List<Map<String, Object>> errs = c.awaitCount(m -> "error".equals(m.get("event")), 2, T);
        assertThat(errs.get(0).get("data")).isEqualTo(Map.of("error", "Invalid pipe name.", "number_messages", -1L));
        assertThat(errs.get(1).get("data")).isEqualTo(Map.of("error", "Invalid pipe name length", "number_messages", -1L));
        assertThat(c.isEof()).isFalse();
        healthyStillReceives();
    }

    @Test
    void tooManySubscriptionsKeepTheFirst32() throws Exception {
        CometWsClient c = bad();
        StringBuilder sb = new StringBuilder("subscription");
        for (int i = 0; i < 40; i++) {
            sb.append("\nweb_p").append(i);
        }
        c.send(sb.toString());
        assertThat(c.await("sys", "error").get("data")).isEqualTo(Map.of("error", "Too many letters", "code", "403"));
        await("32 kept").atMost(T).until(() -> f.engine.subscriberCount(0, "web_p31") == 1);
        assertThat(f.engine.subscriberCount(0, "web_p32")).isZero();
        assertThat(c.isEof()).isFalse();
        healthyStillReceives();
    }

    @Test
    void overlongSubscriptionListOrNameDisconnects() throws Exception {
        CometWsClient list = bad();
        list.send("subscription\n" + "web_abcdefgh\n".repeat(200));
        assertThat(list.await("sys", "error").get("data")).isEqualTo(Map.of("error", "Too many letters", "code", "403"));
        list.awaitEof(T);
        CometWsClient name = bad();
        name.send("subscription\nweb_ok\n" + "w".repeat(65));
        assertThat(name.await("sys", "error").get("data")).isEqualTo(Map.of("error", "Channel name is too long",
                "code", "403"));
        name.awaitEof(T);
        CometWsClient max = bad();
        max.send("subscription\n" + "w".repeat(64));
        await("64 chars kept").atMost(T).until(() -> f.engine.subscriberCount(0, "w".repeat(64)) == 1);
        assertThat(list.count(8) + name.count(8)).as("abrupt closes").isZero();
        healthyStillReceives();
    }

    @Test
    void anonymousPrivateSubscriptionSkipsOnlyThatName() throws Exception {
        CometWsClient c = bad();
        c.send("subscription\nweb_a1\nprivate_x\nweb_a2\nweb_a3");
        await("subscribed").atMost(T).until(() -> f.engine.subscriberCount(0, "web_a3") == 1);
        assertThat(f.engine.subscriberCount(0, "private_x")).isZero();
        assertThat(f.engine.subscriberCount(0, "web_a2")).isOne();
    }

    @Test
    void garbageHttpGetsA400OrAClose() throws Exception {
        for (String garbage : List.of("\u0016\u0003\u0001\u0000garbage-tls\r\n\r\n", "GET\r\n\r\n",
                "BLAH /x HTTP/9.9 what\r\n\r\n", "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\n\r\n")) {
            try (Socket s = new Socket("127.0.0.1", f.port)) {
                s.setSoTimeout(5000);
                OutputStream out = s.getOutputStream();
                out.write(garbage.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = s.getInputStream();
                String resp = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1); // until the server closes
                assertThat(resp).as(garbage).satisfiesAnyOf(r -> assertThat(r).isEmpty(),
                        r -> assertThat(r).startsWith("HTTP/1.1 4"));
            }
        }
        // a WebSocket request without a key: TCP closed, nothing sent
        try (Socket s = new Socket("127.0.0.1", f.port)) {
            s.setSoTimeout(5000);
            s.getOutputStream().write("GET /ws/sesion=&myid=0&devid=0&v=4.08&uuid=u&api=js HTTP/1.1\r\nHost: x\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            assertThat(s.getInputStream().readAllBytes()).isEmpty();
        }
        healthyStillReceives();
    }
}
