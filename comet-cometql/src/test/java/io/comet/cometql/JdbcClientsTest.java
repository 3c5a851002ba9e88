package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.Message;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance 5 (Java part): mysql-connector-j (current) and MariaDB Connector/J connect with
 * default settings, publish, authorize, read presence, get the CometQL error code of a bad
 * query, and quit.
 */
class JdbcClientsTest {

    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    private static Connection connect(String driver) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "root");
        p.setProperty("password", TestServer.PASSWORD);
        return DriverManager.getConnection("jdbc:" + driver + "://127.0.0.1:" + ts.port() + "/CometQL_v1", p);
    }

    private static List<List<String>> rows(ResultSet rs) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            List<String> r = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                r.add(rs.getString(i));
            }
            out.add(r);
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void clientChecklist(String driver) throws Exception {
        String pipe = "web_jdbc_" + driver;
        InProcessClient browser = ts.engine.connectInProcess(ConnectRequest.anonymous(0, "tab-" + driver));
        browser.subscribe(List.of(pipe));
        int before = ts.engine.stats().backendOnline();
        try (Connection c = connect(driver); Statement st = c.createStatement()) {
            assertThat(ts.engine.stats().backendOnline()).isEqualTo(before + 1);
            assertThat(c.getMetaData().getDatabaseProductVersion()).startsWith("5.7.99-CometQL");

            int n = st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe
                    + "', 'new', '{\"text\":\"it''s \\\"jdbc\\\"\"}')");
            assertThat(n).isZero();
            Message m = browser.await(x -> x.pipe().equals(pipe), Duration.ofSeconds(5));
            assertThat(m.event()).isEqualTo("new");
            assertThat(m.text()).isEqualTo("{\"text\":\"it's \"jdbc\"\"}");

            long userId = driver.equals("mysql") ? 101 : 102;
            assertThat(st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (" + userId + ", 'h" + userId + "')"))
                    .isEqualTo(1);
            assertThat(ts.engine.accounts().authHash(0, userId).join()).contains("h" + userId);

            try (ResultSet rs = st.executeQuery("SELECT * FROM users_time WHERE id IN (" + userId + ", 999)")) {
                assertThat(rows(rs)).containsExactly(List.of(Long.toString(userId), "-1"), List.of("999", "-1"));
            }
            try (ResultSet rs = st.executeQuery("SELECT name, users FROM pipes WHERE name = '" + pipe + "'")) {
                assertThat(rs.getMetaData().getColumnLabel(2)).isEqualTo("users");
                assertThat(rows(rs)).containsExactly(List.of(pipe, "1"));
            }
            try (ResultSet rs = st.executeQuery("SELECT name, user_id, user_uuid FROM users_in_pipes WHERE name = '"
                    + pipe + "'")) {
                assertThat(rows(rs)).containsExactly(List.of(pipe, "0", "tab-" + driver));
            }
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM nope WHERE name = 'x'"))
                    .isInstanceOfSatisfying(SQLException.class, e -> {
                        assertThat(e.getErrorCode()).isEqualTo(15);
                        assertThat(e.getMessage()).contains("Table doesn't exist");
                    });
            assertThatThrownBy(() -> st.executeQuery("SELECT name FROM pipes WHERE"))
                    .isInstanceOfSatisfying(SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(3));
            // the connection is still usable after errors
            try (ResultSet rs = st.executeQuery("SHOW STATUS")) {
                assertThat(rows(rs)).contains(List.of("id", "0"));
            }
        }
        await("ts.engine.stats().backendOnline() == before").atMost(Duration.ofSeconds(5)).until(() -> ts.engine.stats().backendOnline() == before);
        browser.disconnect();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void preparedStatementsMultiQueriesTransactionsAndConnectionProperties(String driver) throws Exception {
        String pipe = "web_prep_" + driver;
        InProcessClient browser = ts.engine.connectInProcess(ConnectRequest.anonymous(0, "prep-" + driver));
        browser.subscribe(List.of(pipe));
        String props = driver.equals("mysql")
                ? "?characterEncoding=UTF-8&connectionCollation=utf8mb4_general_ci&allowMultiQueries=true"
                : "?allowMultiQueries=true";
        try (Connection c = DriverManager.getConnection("jdbc:" + driver + "://127.0.0.1:" + ts.port() + "/CometQL_v1"
                + props, "root", TestServer.PASSWORD)) {
            assertThat(c.isValid(2)).isTrue();
            String text = "it's \"q\" \\ \u00fc \uD83D\uDE00 100%";
            try (java.sql.PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO pipes_messages (name, event, message) VALUES (?, ?, ?)")) {
                ps.setString(1, pipe);
                ps.setString(2, "prep");
                ps.setString(3, text);
                assertThat(ps.executeUpdate()).isZero();
                ps.setString(3, "batch1");
                ps.addBatch();
                ps.setString(3, "batch2");
                ps.addBatch();
                ps.executeBatch();
            }
            List<Message> got = browser.awaitCount(pipe, 3, Duration.ofSeconds(5));
            assertThat(got.get(0).text()).isEqualTo(text);
            assertThat(got.subList(1, 3)).extracting(Message::text).containsExactly("batch1", "batch2");
            try (Statement st = c.createStatement()) {
                st.execute("INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe + "', 'm', 'one'); "
                        + "INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe + "', 'm', 'two')");
                assertThat(browser.awaitCount(pipe, 5, Duration.ofSeconds(5)).subList(3, 5)).extracting(Message::text)
                        .containsExactly("one", "two");
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement("SELECT * FROM users_time WHERE id IN (?, ?)")) {
                ps.setLong(1, 5);
                ps.setLong(2, 6);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rows(rs)).containsExactly(List.of("5", "-1"), List.of("6", "-1"));
                }
            }
            c.setAutoCommit(false);
            c.commit();
            c.rollback();
            c.setAutoCommit(true);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            c.setReadOnly(true);
            c.setReadOnly(false);
            assertThat(c.getCatalog()).isEqualTo("CometQL_v1");
        }
        browser.disconnect();
    }
}
