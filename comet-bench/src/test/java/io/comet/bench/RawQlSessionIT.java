package io.comet.bench;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The minimal MySQL client against a real MySQL-protocol server: the MariaDB that the project's
 * CI prepares (.ci/start-mariadb.sh, comet/comet on comet_test); skipped when it is not running.
 */
class RawQlSessionIT {
    @Test
    void logsInRunsStatementsAndReportsErrors() throws Exception {
        String host = "127.0.0.1";
        int port = Integer.parseInt(System.getenv().getOrDefault("COMET_MARIADB_PORT", "3306"));
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 500);
        } catch (Exception e) {
            Assumptions.abort("no MariaDB on " + port);
        }
        String user = System.getenv().getOrDefault("COMET_TEST_MARIADB_USER", "comet");
        String password = System.getenv().getOrDefault("COMET_TEST_MARIADB_PASSWORD", "comet");
        try (RawQlSession q = RawQlSession.connect(host, port, user, password, "comet_test")) {
            q.update("CREATE TABLE IF NOT EXISTS bench_raw (id INT PRIMARY KEY, v VARCHAR(64))");
            q.update("REPLACE INTO bench_raw (id, v) VALUES (1, 'a')");
            q.update("SELECT * FROM bench_raw"); // a result set is read through and ignored
            q.update("DROP TABLE bench_raw");
            assertThatThrownBy(() -> q.update("INSERT INTO no_such_table VALUES (1)"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("no_such_table");
            q.update("DO 1"); // still usable after an error
        }
        assertThatThrownBy(() -> RawQlSession.connect(host, port, user, password + "-wrong", "comet_test"))
                .isInstanceOf(SQLException.class);
        assertThat(RawQlSession.scramble("x", new byte[20])).hasSize(20);
    }
}
