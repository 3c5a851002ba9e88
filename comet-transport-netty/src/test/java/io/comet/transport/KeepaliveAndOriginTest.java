package io.comet.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** §4.12 maxUptime and optional pings, §4.13 Origin allow-list with exact host comparison. */
class KeepaliveAndOriginTest {

    @Test
    void maxUptimeDropsConnectionsAbruptly() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.maxUptimeSeconds(1).uptimeCheckInterval(Duration.ofMillis(100)))) {
            RawWsClient c = f.anonymous("u");
            c.await("sys", "serverInfo");
            long t0 = System.nanoTime();
            c.awaitEof(Duration.ofSeconds(5));
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(700));
            assertThat(c.count(8)).as("no Close frame: the client reconnects").isZero();
            Await.until("session ended", Duration.ofSeconds(5), () -> f.engine.sessions().isEmpty());
        }
    }

    @Test
    void idlePlainHttpConnectionsAreClosedButWebSocketsAreNot() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.longPollTimeout(Duration.ofMillis(100))
                .httpIdleTimeout(Duration.ofMillis(400)))) {
            RawWsClient ws = f.anonymous("u");
            ws.await("sys", "serverInfo");
            try (java.net.Socket idle = new java.net.Socket("127.0.0.1", f.port)) {
                idle.setSoTimeout(5000);
                long t0 = System.nanoTime();
                assertThat(idle.getInputStream().read()).as("closed by the server").isEqualTo(-1);
                assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThan(Duration.ofMillis(300));
            }
            f.engine.publish(0, "web_x", "e", "x");
            ws.send("subscription\nweb_alive");
            Await.until("websocket still served", Duration.ofSeconds(5), () -> f.engine.subscriberCount(0, "web_alive") == 1);
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
            RawWsClient c = f.anonymous("u");
            c.await("sys", "serverInfo");
            Await.until("a ping", Duration.ofSeconds(5), () -> c.count(9) >= 1);
            c.sendFrame(10, true, new byte[0]); // the browser's pong is ignored
            f.engine.publish(0, "web_x", "e", "x");
            assertThat(c.isEof()).isFalse();
        }
    }

    @Test
    void originAllowList() throws Exception {
        try (ServerFixture f = new ServerFixture(c -> c.hosts(List.of("site.example", "other.example:8443")))) {
            String path = RawWsClient.path("", "k", 0, 0, "4.08", "u");
            for (String ok : List.of("https://site.example", "http://site.example:8080", "http://other.example:8443")) {
                RawWsClient c = f.open(path, "Origin: " + ok + "\r\n");
                assertThat(c.await("sys", "serverInfo")).as(ok).containsEntry("authorized", false);
            }
            RawWsClient noOrigin = f.open(path);
            noOrigin.await("sys", "serverInfo");
            for (String bad : List.of("https://site.example.evil.net", "https://evil.example", "http://other.example:9999",
                    "null")) {
                RawWsClient c = f.open(path, "Origin: " + bad + "\r\n");
                Map<String, Object> err = c.await("sys", "error");
                assertThat(err).as(bad).containsEntry("data", Map.of("error", ClientUrl.E423, "error_code", 423L,
                        "info", "Closed due to error. See last message."));
                c.awaitEof(Duration.ofSeconds(5));
                assertThat(c.count(8)).isZero();
            }
            RawWsClient v3 = f.open(RawWsClient.path("", "k", 0, 0, "3.25", "u"), "Origin: https://evil.example\r\n");
            assertThat(v3.await("sys", "error")).containsEntry("event_name", "error");
        }
        assertThat(Origins.allowed(List.of(), "https://anything")).isTrue();
        assertThat(WebConfig.builder().hosts(List.of("*")).build().hosts()).isEmpty();
    }
}
