package io.comet.transport;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.CometWsClient;
import io.comet.test.client.ClientPaths;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** §4.12 maxUptime and optional pings, §4.13 Origin allow-list with exact host comparison. */
class KeepaliveAndOriginTest {

    @Test
    void maxUptimeDropsConnectionsAbruptly() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.maxUptimeSeconds(1).uptimeCheckInterval(Duration.ofMillis(100)))) {
            CometWsClient c = f.anonymous("u");
            c.await("sys", "serverInfo");
            long t0 = System.nanoTime();
            c.awaitEof(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(700));
            assertThat(c.count(8)).as("no Close frame: the client reconnects").isZero();
            await("session ended").atMost(Duration.ofSeconds(5)).until(() -> f.engine.sessions().isEmpty());
        }
    }

    @Test
    void idlePlainHttpConnectionsAreClosedButWebSocketsAreNot() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.longPollTimeout(Duration.ofMillis(100))
                .httpIdleTimeout(Duration.ofMillis(400)))) {
            CometWsClient ws = f.anonymous("u");
            ws.await("sys", "serverInfo");
            try (java.net.Socket idle = new java.net.Socket("127.0.0.1", f.port)) {
                idle.setSoTimeout(5000);
                long t0 = System.nanoTime();
                assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(300));
            }
            f.engine.publish(0, "web_x", "e", "x");
            ws.send("subscription\nweb_alive");
            await("websocket still served").atMost(Duration.ofSeconds(5)).until(() -> f.engine.subscriberCount(0, "web_alive") == 1);
            assertThat(ws.isEof()).isFalse();
        }
    }

    @Test
    void noUptimeLimitByDefault() {
        assertThat(WebConfig.DEFAULT.maxUptimeSeconds()).isZero();
        assertThat(WebConfig.DEFAULT.pingIntervalSeconds()).isZero();
    }

    @Test
    void optionalPingFrames() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.pingIntervalSeconds(1))) {
            CometWsClient c = f.anonymous("u");
            c.await("sys", "serverInfo");
            await("a ping").atMost(Duration.ofSeconds(5)).until(() -> c.count(9) >= 1);
            c.sendFrame(10, true, new byte[0]); // the browser's pong is ignored
            f.engine.publish(0, "web_x", "e", "x");
            assertThat(c.isEof()).isFalse();
        }
    }

    @Test
    void originAllowList() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.hosts(List.of("site.example", "other.example:8443")))) {
            String path = ClientPaths.of("", "k", 0, 0, "4.08", "u");
            for (String ok : List.of("https://site.example", "http://site.example:8080", "http://other.example:8443")) {
                CometWsClient c = f.open(path, "Origin: " + ok + "\r\n");
                assertThat(c.await("sys", "serverInfo")).as(ok).containsEntry("authorized", false);
            }
            CometWsClient noOrigin = f.open(path);
            noOrigin.await("sys", "serverInfo");
            for (String bad : List.of("https://site.example.evil.net", "https://evil.example", "http://other.example:9999",
                    "null")) {
                CometWsClient c = f.open(path, "Origin: " + bad + "\r\n");
                Map<String, Object> err = c.await("sys", "error");
                assertThat(err).as(bad).containsEntry("data", Map.of("error", ClientUrl.E423, "error_code", 423L,
                        "info", "Closed due to error. See last message."));
                c.awaitEof(Duration.ofSeconds(5));
                assertThat(c.count(8)).isZero();
            }
            CometWsClient v3 = f.open(ClientPaths.of("", "k", 0, 0, "3.25", "u"), "Origin: https://evil.example\r\n");
            assertThat(v3.await("sys", "error")).containsEntry("event_name", "error");
        }
        assertThat(Origins.allowed(List.of(), "https://anything")).isTrue();
        assertThat(WebConfig.builder().hosts(List.of("*")).build().hosts()).isEmpty();
    }
}
