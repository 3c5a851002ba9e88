package io.comet.server;

import static io.comet.test.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** {@link CometServer#builder()} starts a whole server on ephemeral ports that real clients use. */
class CometServerTest {

    static CometServer start() {
        return CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1).password("pw").start();
    }

    @Test
    void aRowInsertedOverJdbcReachesAWebSocketSubscriber() throws Exception {
        try (CometServer comet = start(); CometWsClient b = CometWsClient.open(comet.webPort(), ClientPaths.v4(0, "", "serverTest0123456789abcdefghijklm"))) {
            assertThat(comet.webPort()).isPositive();
            assertThat(comet.cometqlPort()).isPositive().isNotEqualTo(comet.webPort());
            b.awaitLine("\"event\":\"serverInfo\"");
            b.subscribe("web_demo");
            try (Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", "pw");
                 Statement st = c.createStatement()) {
                await("web_demo subscribed").until(() -> comet.engine().subscriberCount(0, "web_demo") == 1);
                st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_demo', 'message', 'hi')");
            }
            assertThat(b.awaitLine("web_demo")).contains("\"data\":\"hi\"").contains("\"event\":\"message\"");
        }
    }

    @Test
    void withoutAPasswordOneIsGeneratedAndAnsweredByCometQl() throws Exception {
        try (CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1).start();
             Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", comet.password());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM pipes WHERE name = 'web_demo'")) {
            assertThat(comet.password()).hasSizeGreaterThanOrEqualTo(20);
            assertThat(rs.next()).isTrue();
        }
    }

    @Test
    void aTakenPortIsAnIllegalStateNamingIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(taken.getLocalPort())
                    .password("pw").start())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void closeIsIdempotentAndFreesThePorts() throws Exception {
        CometServer comet = start();
        int port = comet.cometqlPort();
        comet.close();
        comet.close();
        try (ServerSocket again = new ServerSocket(port, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(again.getLocalPort()).isEqualTo(port);
        }
    }
}
