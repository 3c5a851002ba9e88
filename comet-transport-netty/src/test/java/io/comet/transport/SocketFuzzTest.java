package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 point 7, the CI sample (the bench's {@code fuzz} scenario runs a million): random and
 * mutated WebSocket frames over real sockets, a connection reopened whenever the server closes
 * one. Afterwards the server still serves a healthy client, no buffer leaked (paranoid leak
 * detection through {@link io.comet.test.client.LeakDetectionExtension}) and the live heap is back near its start.
 */
class SocketFuzzTest {

    private static final int INPUTS = 2000;
    private static final String[] COMMANDS = {"subscription\nweb_fuzz", "pipe_log\nweb_fuzz", "user_data\n1",
        "web_pipe_send\nweb_fuzz\nev\n{\"a\":1}", "pipe_count\nweb_fuzz", "statistics\n{}", "\u0000\u0001"};

    @Test
    void randomFramesLeaveTheServerServingWithoutLeaks() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.limits(WebLimits.builder().frameTimeout(Duration.ofSeconds(2))
                .build()))) {
            long heap0 = liveHeap();
            SplittableRandom rnd = new SplittableRandom(7);
            int done = 0;
            int connections = 0;
            while (done < INPUTS) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", f.port), 5000);
                    s.setSoTimeout(5000);
                    connections++;
                    OutputStream out = s.getOutputStream();
                    InputStream in = s.getInputStream();
                    out.write(("GET " + ClientPaths.of("", "x", 0, 0, "4.08", "fz" + connections) + " HTTP/1.1\r\nHost: x\r\n"
                            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: " + CometWsClient.KEY
                            + "\r\nSec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    String head = RawHttp.readHead(in);
                    assertThat(head).startsWith("HTTP/1.1 101");
                    while (done < INPUTS) {
                        int kind = rnd.nextInt(10);
                        byte[] input = frame(rnd, kind);
                        out.write(input);
                        done++;
                        if (probe(s, input, kind != 0 && kind != 6 && kind != 7 && !(kind == 4 && (input[0] & 0x80) == 0))) {
                            break;
                        }
                    }
                } catch (IOException e) {
                    done++; // reset while writing: the server closed it
                }
            }
            await("every fuzzed connection gone").atMost(Duration.ofSeconds(15)).until(() -> f.server.connectionCount() == 0);
            CometWsClient healthy = f.anonymous("healthy");
            healthy.await("sys", "serverInfo");
            healthy.send("subscription\nweb_after");
            await("subscribed").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_after") == 1);
            f.engine.publish(0, "web_after", "ev", "still serving");
            assertThat(healthy.await("web_after", "ev")).isNotNull();
            long grown = liveHeap() - heap0;
            System.err.printf("%d inputs over %d connections; live heap %+d KB%n", INPUTS, connections, grown / 1024);
            assertThat(grown).as("live heap back near its start").isLessThan(8L << 20);
        }
    }

    /** One client frame: valid, mutated header or payload, unmasked, cut short, or random bytes. */
    static byte[] frame(SplittableRandom rnd, int kind) {
        if (kind == 0) {
            byte[] junk = new byte[1 + rnd.nextInt(40)];
            rnd.nextBytes(junk);
            return junk;
        }
        byte[] payload = COMMANDS[rnd.nextInt(COMMANDS.length)].getBytes(StandardCharsets.UTF_8);
        if (kind <= 2) {
            for (int i = 0; i < 1 + rnd.nextInt(3); i++) {
                payload[rnd.nextInt(payload.length)] = (byte) rnd.nextInt(256);
            }
        }
        int b0 = kind == 3 ? (rnd.nextInt(256) | 0x80) : kind == 4 ? (rnd.nextBoolean() ? 0x01 : 0x80) : 0x81;
        boolean masked = kind != 5;
        int len = payload.length;
        byte[] mask = new byte[4];
        rnd.nextBytes(mask);
        byte[] f = new byte[2 + (masked ? 4 : 0) + len];
        f[0] = (byte) b0;
        f[1] = (byte) ((masked ? 0x80 : 0) | (kind == 6 ? 127 : len));
        if (masked) {
            System.arraycopy(mask, 0, f, 2, 4);
        }
        for (int i = 0; i < len; i++) {
            f[(masked ? 6 : 2) + i] = (byte) (payload[i] ^ (masked ? mask[i & 3] : 0));
        }
        return kind == 7 ? java.util.Arrays.copyOf(f, rnd.nextInt(f.length)) : f;
    }

    private static final byte[] PING = {(byte) 0x89, (byte) 0x80, 0, 0, 0, 0};

    /**
     * After an input: true when the server closed the connection. Inputs that leave a frame
     * incomplete (cut short, random bytes, a 64-bit length that never comes) are not probed: the
     * connection is dropped by the client (the server must free what it held). Others are followed
     * by a ping; the pong says the server took the input and is still in step.
     */
    private static boolean probe(java.net.Socket s, byte[] input, boolean complete) throws IOException {
        if (!complete) {
            return true;
        }
        s.getOutputStream().write(PING);
        java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
        while (true) {
            int b0 = in.read();
            if (b0 < 0) {
                return true;
            }
            int b1 = in.readUnsignedByte();
            long len = b1 & 0x7F;
            if (len == 126) {
                len = in.readUnsignedShort();
            } else if (len == 127) {
                len = in.readLong();
            }
            in.skipNBytes(len);
            if ((b0 & 0x0F) == 0xA) {
                return false;
            }
            if ((b0 & 0x0F) == 0x8) {
                return true; // a Close frame: TCP goes next
            }
        }
    }


    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
