package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 point 6: client-supplied text reaches the log with its control characters escaped,
 * and clients that reset their connections leave at most one line each, never a stack trace.
 * The log is captured from slf4j-simple's System.err.
 */
class LogHygieneTest {

    @TempDir
    Path base;

    @Test
    void refusedStaticPathsAreLoggedWithControlCharactersEscaped() throws Exception {
        Files.writeString(base.resolve("index.html"), "hi");
        String log = captured(() -> {
            try (ServerFixture f = new ServerFixture(c -> c.baseDir(base))) {
                for (String path : new String[] {"/..%2f\u001b[2J\u0007x", "/../\u001b]0;owned\u0007", "/a/../../\u0000b"}) {
                    RawHttp.send(f.port, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                }
            }
        });
        assertThat(log).doesNotContain("\u001b").doesNotContain("\u0007").doesNotContain("\u0000");
        assertThat(log).contains("\\x1B");
    }

    @Test
    void clientsThatResetTheirConnectionsLogNoStackTrace() throws Exception {
        String log = captured(() -> {
            try (ServerFixture f = new ServerFixture()) {
                for (int i = 0; i < 20; i++) {
                    CometWsClient c = CometWsClient.open(f.port, ClientPaths.of("", "x", 0, 0, "4.08", "r" + i), "", false, 2048);
                    c.send("subscription\nweb_reset");
                    await("subscribed").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_reset") >= 1);
                    for (int k = 0; k < 50; k++) {
                        f.engine.publish(0, "web_reset", "e", "z".repeat(2000));
                    }
                    c.reset();
                    await("gone").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_reset") == 0);
                }
                // and plain HTTP clients that reset in the middle of a request
                for (int i = 0; i < 20; i++) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress("127.0.0.1", f.port));
                        s.getOutputStream().write("GET /info HTTP/1.1\r\nHost".getBytes(StandardCharsets.US_ASCII));
                        s.setSoLinger(true, 0);
                    }
                }
                assertThat(RawHttp.send(f.port, "GET", "/info").status()).isEqualTo(200);
            }
        });
        assertThat(log).doesNotContain("\tat ").doesNotContain("Exception:\n");
        assertThat(log.lines().filter(l -> l.contains("reset") || l.contains("Broken pipe")).count()).isLessThanOrEqualTo(40);
    }

    interface Body {
        void run() throws Exception;
    }

    private static String captured(Body body) throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                old.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                buf.write(b, off, len);
                old.write(b, off, len);
            }
        }, true, StandardCharsets.UTF_8);
        System.setErr(tee);
        try {
            body.run();
        } finally {
            System.setErr(old);
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
