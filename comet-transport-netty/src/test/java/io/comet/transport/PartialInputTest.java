package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 points 2 and 3 on the browser port: every partial input is bounded in time (a
 * WebSocket frame that never completes, an HTTP head trickled byte by byte), the memory stalled
 * frames held is returned once they are closed, and the connection limits refuse with a 503.
 */
class PartialInputTest {

    private static final int STALLED = 1500;
    private static final int PARTIAL = 30_000; // of a 65,535-byte frame

    private ServerFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    @Test
    void stalledPartialFramesAreClosedByTheDeadlineAndTheirMemoryReturned() throws Exception {
        Duration deadline = Duration.ofSeconds(3);
        f = new ServerFixture(c -> c.limits(WebLimits.builder().frameTimeout(deadline).build()));
        long heapBefore = liveHeap();
        byte[] head = {(byte) 0x81, (byte) (0x80 | 126), (byte) 0xFF, (byte) 0xFF, 1, 2, 3, 4};
        byte[] body = new byte[PARTIAL];
        List<CometWsClient> stalled = new ArrayList<>();
        long firstSent = 0;
        for (int i = 0; i < STALLED; i++) {
            CometWsClient c = f.track(CometWsClient.open(f.port, ClientPaths.of("", "x", 0, 0, "4.08", "p" + i), "", false, 0));
            c.sendRaw(head);
            c.sendRaw(body);
            if (firstSent == 0) {
                firstSent = System.nanoTime();
            }
            stalled.add(c);
        }
        long lastSent = System.nanoTime();
        await("the server holds the partial frames").atMost(Duration.ofSeconds(10)).until(
                () -> liveHeap() - heapBefore > (long) STALLED * PARTIAL / 2 || f.server.webSocketCount() < STALLED);
        long heapHeld = liveHeap() - heapBefore;
        await("every stalled frame closed").atMost(deadline.plusSeconds(10)).until(() -> f.server.webSocketCount() == 0);
        long closedAt = System.nanoTime();
        for (CometWsClient c : stalled) {
            c.awaitEofRaw(Duration.ofSeconds(5));
        }
        // none before its deadline, all soon after the last one's (the check runs on the loops)
        assertThat(closedAt - firstSent).isGreaterThanOrEqualTo(deadline.toNanos());
        assertThat(closedAt - lastSent).isLessThan(deadline.plusSeconds(5).toNanos());
        long heapAfter = liveHeap() - heapBefore;
        System.err.printf("live heap: +%d KB with %d stalled frames, +%d KB after they closed%n", heapHeld / 1024,
                STALLED, heapAfter / 1024);
        assertThat(heapHeld).isGreaterThan((long) STALLED * PARTIAL / 2); // they were really held
        assertThat(heapAfter).as("live heap back near its start").isLessThan(heapHeld / 5);
    }

    @Test
    void aTrickledRequestHeadIsClosedAtTheRequestDeadlineDespiteTheIdleTimeout() throws Exception {
        f = new ServerFixture(c -> c.limits(WebLimits.builder().requestTimeout(Duration.ofMillis(700)).build()));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", f.port), 5000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            s.setSoTimeout(100); // the pace of the trickle: one byte whenever nothing came back for 100 ms
            byte[] req = ("GET " + ClientPaths.of("", "x", 0, 0, "4.08", "t") + " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket"
                    + "\r\nX-Pad: " + "a".repeat(200)).getBytes(StandardCharsets.US_ASCII);
            long t0 = System.nanoTime();
            boolean closed = false;
            for (int i = 0; i < req.length && !closed; i++) {
                try {
                    out.write(req[i]);
                    out.flush();
                    closed = in.read() < 0;
                } catch (SocketTimeoutException e) {
                    // still open: next byte
                } catch (java.io.IOException e) {
                    closed = true; // reset while writing
                }
            }
            assertThat(closed).as("closed while the head was still trickling").isTrue();
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos()); // idle timeout: 60 s
        }
    }

    @Test
    void connectionsBeyondTheLimitsGet503AndAreCounted() throws Exception {
        f = new ServerFixture(c -> c.limits(WebLimits.builder().maxConnectionsPerAddress(3).maxConnections(5).build()));
        List<Socket> open = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                open.add(connect("127.0.0.1"));
            }
            await("three counted").atMost(Duration.ofSeconds(5)).until(() -> f.server.connectionCount() == 3);
            assertThat(refusal(connect("127.0.0.1"))).startsWith("HTTP/1.1 503 Service Unavailable");
            assertThat(f.server.refusedConnections()).isEqualTo(1);
            open.add(connect("127.0.0.2")); // another address still gets in
            open.add(connect("127.0.0.3"));
            await("five counted").atMost(Duration.ofSeconds(5)).until(() -> f.server.connectionCount() == 5);
            assertThat(refusal(connect("127.0.0.4"))).startsWith("HTTP/1.1 503"); // the listener is full
            assertThat(f.server.refusedConnections()).isEqualTo(2);
            open.remove(0).close();
            await("the closed one uncounted").atMost(Duration.ofSeconds(5)).until(() -> f.server.connectionCount() == 4);
            assertThat(RawHttp.send(f.port, "GET", "/info").status()).isEqualTo(200);
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }

    private Socket connect(String from) throws Exception {
        Socket s = new Socket();
        s.bind(new InetSocketAddress(from, 0));
        s.connect(new InetSocketAddress("127.0.0.1", f.port), 5000);
        s.setSoTimeout(5000);
        return s;
    }

    private static String refusal(Socket s) throws Exception {
        try (s) {
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
