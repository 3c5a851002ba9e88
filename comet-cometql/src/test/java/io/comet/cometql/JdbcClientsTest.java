package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.ConnectRequest;
import io.comet.core.InProcessClient;
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
        browser.session().subscribe(List.of(pipe));
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
            assertThat(ts.engine.authHash(0, userId).join()).contains("h" + userId);

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
        TestServer.await(() -> ts.engine.stats().backendOnline() == before, Duration.ofSeconds(5));
        browser.disconnect();
    }
}
