package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.FuzzInputs;
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
                        int kind = rnd.nextInt(FuzzInputs.WS_KINDS);
                        byte[] input = FuzzInputs.wsFrame(rnd, kind, COMMANDS);
                        out.write(input);
                        done++;
                        if (FuzzInputs.wsProbe(s, FuzzInputs.wsComplete(kind, input))) {
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

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
