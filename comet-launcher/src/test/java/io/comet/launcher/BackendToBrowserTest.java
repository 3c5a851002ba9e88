package io.comet.launcher;

import static io.comet.test.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.CometConfig;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue [3] point 4 over real sockets: the table operations of CometQL reach the browser side
 * through the same engine. A row inserted into {@code pipes_messages} over JDBC reaches a
 * WebSocket subscriber; {@code users_auth} inserted over CometQL authorizes a WebSocket session;
 * {@code POST /cometql} runs the same tables over HTTP (issue [3] point 6).
 */
class BackendToBrowserTest {

    private static final String PASSWORD = "b2b-secret";

    private CometServerLauncher comet;
    private final List<CometWsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        LauncherConfig cfg = LauncherConfig.defaults()
                .withEngine(CometConfig.builder().password(PASSWORD).build())
                .withPorts(0, 0)
                .withStore(null);
        comet = CometServerLauncher.start(cfg);
    }

    @AfterEach
    void stop() throws Exception {
        for (CometWsClient c : clients) {
            c.close();
        }
        comet.close();
    }

    /** A WebSocket client that opens exactly like the original CometServerApi.js (closed after the test). */
    private CometWsClient open(long userId, String key) throws Exception {
        CometWsClient c = CometWsClient.open(comet.webPort(), ClientPaths.v4(userId, key, "b2bTest" + userId
                + "0123456789abcdefghijklmnopqrstuvw".substring(0, 25 - String.valueOf(userId).length())));
        clients.add(c);
        return c;
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + comet.cometqlPort() + "/CometQL_v1",
                "root", PASSWORD);
    }

    @Test
    void rowInsertedIntoPipesMessagesOverJdbcReachesAWebSocketSubscriber() throws Exception {
        CometWsClient b = open(0, "");
        assertThat(b.awaitLine("\"event\":\"serverInfo\"")).contains("\"pipe\":\"sys\"");
        b.send("subscription\nweb_news");
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            await("web_news subscribed").until(() -> comet.server().engine().subscriberCount(0, "web_news") == 1);
            int n = st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_news', 'flash', "
                    + "'{\"text\":\"it''s live\"}')");
            assertThat(n).as("0 affected rows, cometql.md §10 quirk 1").isZero();
        }
        String frame = b.awaitLine("web_news");
        assertThat(frame).isEqualTo("{\"data\":\"{\\\"text\\\":\\\"it\\u0027s live\\\"}\",\"event\":\"flash\","
                + "\"message_send_time\":" + frame.replaceAll(".*\"message_send_time\":(\\d+).*", "$1")
                + ",\"pipe\":\"web_news\"}");
    }

    @Test
    void usersAuthInsertedOverCometQlAuthorizesAWebSocketSession() throws Exception {
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            assertThat(st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (42, 'k42+/=')")).isEqualTo(1);
        }
        CometWsClient ok = open(42, "k42+/=");
        assertThat(ok.awaitLine("\"event\":\"serverInfo\"")).contains("\"authorized\":true");
        CometWsClient bad = open(42, "wrong");
        assertThat(bad.awaitLine("\"event\":\"serverInfo\"")).contains("\"authorized\":false");
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO users_messages (id, event, message) VALUES (42, 'note', 'hello 42')");
            try (ResultSet rs = st.executeQuery("SELECT id, time FROM users_time WHERE id = 42")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("time")).as("online now").isEqualTo("0");
            }
        }
        assertThat(ok.awaitLine("\"pipe\":\"msg\"")).contains("\"data\":\"hello 42\"").contains("\"event\":\"note\"");
    }

    @Test
    void cometQlOverHttpUsesTheSameTables() throws Exception {
        CometWsClient b = open(0, "");
        b.awaitLine("serverInfo");
        b.send("subscription\nweb_http");
        HttpClient http = HttpClient.newHttpClient();
        String auth = "Basic " + Base64.getEncoder().encodeToString(("root:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create("http://127.0.0.1:" + comet.webPort() + "/cometql");
        HttpResponse<String> count = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            count = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                    .POST(HttpRequest.BodyPublishers.ofString("SELECT name, users FROM pipes WHERE name = 'web_http'"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (count.body().contains("[\"web_http\",\"1\"]")) {
                break;
            }
        }
        assertThat(count.statusCode()).isEqualTo(200);
        assertThat(count.body()).contains("\"columns\":[\"name\",\"users\"]").contains("[\"web_http\",\"1\"]");
        HttpResponse<String> insert = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(
                        "INSERT INTO pipes_messages (name, event, message) VALUES ('web_http', 'e', 'via http')"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(insert.statusCode()).isEqualTo(200);
        assertThat(b.awaitLine("web_http")).contains("\"data\":\"via http\"");
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(uri).header("Authorization", "Bearer wrong")
                .POST(HttpRequest.BodyPublishers.ofString("SHOW STATUS")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(401);
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(uri).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString("SELECT * FROM nowhere")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"code\":15");
    }
}
