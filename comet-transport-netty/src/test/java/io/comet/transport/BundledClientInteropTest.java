package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled comet.js (the shipped resource, written by the client's engineer) in Node against
 * this server over long-poll (LONGPOLL.md) and over WebSocket (Node's WebSocket): auth,
 * subscription, web_pipe_send stamping, messages pushed to a held poll, private messages, and
 * restart() relying on the §1.7 unclean close. Needs {@code node} on the PATH (the test
 * environment installs it, .ci/test-env.sh).
 */
class BundledClientInteropTest {

    @TempDir
    Path tmp;

    private ServerFixture f;

    @BeforeEach
    void start() {
        f = new ServerFixture(c -> c.longPollTimeout(Duration.ofSeconds(2)));
        f.engine.accounts().putAuthHash(0, 5, "h5").join();
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(BundledClientInteropTest.class.getClassLoader().getResource(name).toURI());
    }

    @Test
    void bundledClientWorksOverLongPoll() throws Exception {
        Path script = resource("io/comet/transport/interop/lp-client.mjs");
        Path cometJs = resource(CometWebServer.CLIENT_SCRIPT);
        CometWsClient watcher = f.anonymous("watcher");
        watcher.await("sys", "serverInfo");
        watcher.send("subscription\nweb_interop");
        await("watcher subscribed").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_interop") == 1);

        Path log = tmp.resolve("node.log");
        Process node = new ProcessBuilder("node", script.toString(), cometJs.toString(), String.valueOf(f.port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            // the client logs in, subscribes (long-poll), and publishes with web_pipe_send
            assertThat(f.await(watcher, "web_interop", "from_node")).containsEntry("user_id", 5L)
                    .containsEntry("data", "{\"text\":\"hello from node\"}");
            await("node subscribed").atMost(Duration.ofSeconds(10)).until(() -> f.engine.subscriberCount(0, "web_interop") == 2);
            f.engine.sendPrivate(0, 5, "private", "just for you").join();
            awaitLine(log, "PRIVATE \"just for you\"");
            f.engine.publish(0, "web_interop", "from_java", "{\"n\":42}");
            assertThat(node.waitFor(15, TimeUnit.SECONDS)).isTrue();
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).contains("AUTH OK", "GOT {\"n\":42} user_id=0");
            assertThat(node.exitValue()).as(String.join("\n", lines)).isZero();
        } finally {
            node.destroyForcibly();
        }
    }

    @Test
    void bundledClientWorksOverWebSocketIncludingRestart() throws Exception {
        f.engine.accounts().putAuthHash(0, 6, "h6").join();
        Path script = resource("io/comet/transport/interop/ws-client.mjs");
        Path cometJs = resource(CometWebServer.CLIENT_SCRIPT);
        CometWsClient watcher = f.anonymous("watcher");
        watcher.await("sys", "serverInfo");
        watcher.send("subscription\nweb_interop");
        await("watcher subscribed").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_interop") == 1);

        Path log = tmp.resolve("node-ws.log");
        Process node = new ProcessBuilder("node", "--experimental-websocket", script.toString(), cometJs.toString(),
                String.valueOf(f.port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(f.await(watcher, "web_interop", "from_node")).containsEntry("user_id", 5L)
                    .containsEntry("data", "{\"text\":\"it's node\"}");
            await("node subscribed").atMost(Duration.ofSeconds(10)).until(() -> f.engine.subscriberCount(0, "web_interop") == 2);
            assertThat(f.server.webSocketCount()).isEqualTo(2);
            f.engine.publish(0, "web_interop", "from_java", "{\"n\":7}");
            awaitLine(log, "GOT {\"n\":7} user_id=0");
            // restart() closes the socket; the server drops TCP without a Close frame, the
            // client sees an unclean close and reconnects as user 6
            await("reconnected as user 6").atMost(Duration.ofSeconds(15)).until(
                    () -> f.engine.sessionsOf(0, 6).size() == 1 && f.engine.sessionsOf(0, 5).isEmpty());
            f.engine.sendPrivate(0, 6, "private", "for six").join();
            assertThat(node.waitFor(15, TimeUnit.SECONDS)).isTrue();
            List<String> lines = Files.readAllLines(log);
            assertThat(lines).contains("PRIVATE \"for six\"");
            assertThat(node.exitValue()).as(String.join("\n", lines)).isZero();
        } finally {
            node.destroyForcibly();
        }
    }

    private static void awaitLine(Path log, String line) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        List<String> lines = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            lines = Files.readAllLines(log);
            if (lines.contains(line)) {
                return;
            }
            LockSupport.parkNanos(20_000_000);
        }
        throw new AssertionError("node never printed " + line + ": " + lines);
    }
}
