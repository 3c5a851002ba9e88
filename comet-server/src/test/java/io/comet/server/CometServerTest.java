package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link CometServer#builder()} starts a whole server on ephemeral ports that real clients use. */
class CometServerTest {

    static CometServer start() {
        return CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).webThreads(1).password("pw").start();
    }

    @Test
    void aRowInsertedOverJdbcReachesAWebSocketSubscriber() throws Exception {
        try (CometServer comet = start(); Browser b = Browser.open(comet.webPort())) {
            assertThat(comet.webPort()).isPositive();
            assertThat(comet.cometqlPort()).isPositive().isNotEqualTo(comet.webPort());
            b.nextContaining("\"event\":\"serverInfo\"");
            b.send("subscription\nweb_demo");
            try (Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", "pw");
                 Statement st = c.createStatement()) {
                awaitSubscriber(st, "web_demo");
                st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_demo', 'message', 'hi')");
            }
            assertThat(b.nextContaining("web_demo")).contains("\"data\":\"hi\"").contains("\"event\":\"message\"");
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

    /** Waits (with a deadline) until the pipe has a subscriber: the subscription has no answer frame. */
    static void awaitSubscriber(Statement st, String pipe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = st.executeQuery("SELECT users FROM pipes WHERE name = '" + pipe + "'")) {
                if (rs.next() && rs.getInt(1) >= 1) {
                    return;
                }
            }
        }
        throw new AssertionError(pipe + " has no subscriber after 10 s");
    }
}
