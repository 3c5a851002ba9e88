package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.comet.core.store.jdbc.JdbcStoreConfig;
import io.comet.core.store.jdbc.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.h2.tools.Server;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 5: {@code GET /health} and {@code GET /ready} on the browser port, no
 * credentials. With a real database (H2 over TCP) behind a {@link TcpProxy}: ready while it
 * answers, 503 while it is stalled (health stays 200), ready again after it returns. A drain
 * (what {@code close()}, i.e. SIGTERM, starts with) turns {@code /ready} 503 at once while the
 * server still serves for the drain delay; {@code show status} keeps working.
 */
class HealthTest {

    @TempDir
    Path dir;

    private static HttpResponse<String> get(CometServer comet, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + comet.webPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readyFollowsTheStoreAndHealthOnlyTheProcess() throws Exception {
        Server h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        try (TcpProxy proxy = new TcpProxy("127.0.0.1", h2.getPort());
             CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1).password("pw")
                     .jdbcStore(JdbcStoreConfig.builder().jdbcUrl("jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/health")
                             .connectionAttempts(1).operationTimeout(Duration.ofSeconds(20)).build()).start()) {
            HttpResponse<String> ready = get(comet, "/ready");
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).isEqualTo("{\"status\":\"ready\",\"store\":\"up\"}");
            assertThat(ready.headers().firstValue("content-type")).hasValue("application/json; charset=UTF-8");
            assertThat(get(comet, "/comet-server/ready").statusCode()).isEqualTo(200);

            proxy.stall();
            HttpResponse<String> stalled = get(comet, "/ready");
            assertThat(stalled.statusCode()).isEqualTo(503);
            assertThat(stalled.body()).contains("\"store\":\"down\"");
            HttpResponse<String> health = get(comet, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("{\"status\":\"up\"}");

            proxy.restore();
            await().atMost(Duration.ofSeconds(30)).until(() -> get(comet, "/ready").statusCode() == 200);
        } finally {
            h2.stop();
        }
    }

    @Test
    void aDrainTurnsReadyFalseAtOnceWhileTheServerStillServes() throws Exception {
        CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1).password("pw")
                .drainDelay(Duration.ofSeconds(3)).start();
        try {
            assertThat(get(comet, "/ready").statusCode()).isEqualTo(200);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(comet::close);
            await().atMost(Duration.ofSeconds(2)).until(comet::draining);
            // within the drain delay: not ready, but every door still answers
            HttpResponse<String> ready = get(comet, "/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"status\":\"draining\"}");
            assertThat(get(comet, "/health").statusCode()).isEqualTo(200);
            try (Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", "pw");
                 Statement st = c.createStatement(); ResultSet rs = st.executeQuery("show status")) {
                assertThat(rs.next()).as("show status keeps working").isTrue();
            }
            assertThat(closing).as("close() still waits out the drain delay").isNotDone();
            closing.get();
        } finally {
            comet.close();
        }
    }

    @Test
    void onlyGetIsAnswered() throws Exception {
        try (CometServer comet = CometServerTest.start()) {
            HttpResponse<String> post = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + comet.webPort() + "/ready")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(post.statusCode()).isEqualTo(405);
        }
    }
}
