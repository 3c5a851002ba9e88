package io.comet.core.store.jdbc;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Databases for the store tests: H2 files in a temporary directory, and the MariaDB server that
 * {@code .ci/start-mariadb.sh} starts. MariaDB comes from {@code COMET_TEST_MARIADB_URL}
 * (default {@code jdbc:mysql://127.0.0.1:3306/comet_test}), {@code COMET_TEST_MARIADB_USER} and
 * {@code COMET_TEST_MARIADB_PASSWORD} (default comet/comet). When it is unreachable the tests
 * fail if {@code CI} is set and are skipped otherwise.
 */
final class TestDatabases {

    static final List<String> TABLES = List.of("comet_users_auth", "comet_users_time", "comet_users_messages",
            "comet_pipes_settings", "comet_pipe_messages", "comet_pipe_streams", "comet_users_data", "comet_revoked_tokens");

    private static final Pattern MYSQL_URL = Pattern.compile("(jdbc:(?:mysql|mariadb)://[^/?]+)(?:/([^?]*))?(\\?.*)?");

    /**
     * Names the databases of this checkout: two checkouts (worktrees, branches with other schema
     * versions) testing against the same MariaDB at the same time do not share tables.
     */
    private static final String CHECKOUT = Integer.toHexString(
            java.nio.file.Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize().toString().hashCode());

    private TestDatabases() {
    }

    /** Settings with short timeouts suited to tests. */
    static JdbcStoreConfig.Builder testTimeouts(JdbcStoreConfig.Builder b) {
        return b.operationTimeout(Duration.ofSeconds(15)).connectionAttempts(1);
    }

    /** An H2 file database {@code <dir>/comet}. */
    static JdbcStoreConfig h2(Path dir) {
        return testTimeouts(JdbcStoreConfig.h2File(dir.resolve("comet")).toBuilder()).build();
    }

    /**
     * A MariaDB database {@code comet_test_<suffix>_<checkout>} (created if the user may; otherwise the
     * configured database), so test classes and checkouts running at the same time do not share tables.
     */
    static JdbcStoreConfig mariaDb(String suffix) {
        String base = System.getenv().getOrDefault("COMET_TEST_MARIADB_URL", "jdbc:mysql://127.0.0.1:3306/comet_test");
        String user = System.getenv().getOrDefault("COMET_TEST_MARIADB_USER", "comet");
        String password = System.getenv().getOrDefault("COMET_TEST_MARIADB_PASSWORD", "comet");
        Matcher m = MYSQL_URL.matcher(base);
        if (!m.matches()) {
            throw new IllegalArgumentException("COMET_TEST_MARIADB_URL: " + base + " (expected: jdbc:mysql://host:port/db)");
        }
        String query = m.group(3) == null ? "?characterEncoding=UTF-8&allowPublicKeyRetrieval=true" : m.group(3);
        String db = m.group(2) == null || m.group(2).isEmpty() ? "comet_test" : m.group(2);
        String wanted = "comet_test_" + suffix + "_" + CHECKOUT;
        try (Connection c = DriverManager.getConnection(m.group(1) + "/" + db + query, user, password)) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE IF NOT EXISTS " + wanted + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
                db = wanted;
            } catch (SQLException e) {
                System.err.println("using " + db + " (cannot create " + wanted + ": " + e.getMessage() + ")");
            }
        } catch (SQLException e) {
            String why = "MariaDB is not reachable at " + base + " as " + user + " (" + e.getMessage()
                    + "); start it with .ci/start-mariadb.sh";
            if (System.getenv("CI") != null) {
                fail(why + " — CI is set, so this is a failure");
            }
            Assumptions.abort(why + " — skipped because CI is not set");
        }
        return testTimeouts(JdbcStoreConfig.builder()
                .jdbcUrl(m.group(1) + "/" + db + query)
                .user(user)
                .password(password)).build();
    }

    /** A direct connection for test set-up and checks (not through the store). */
    static Connection connect(JdbcStoreConfig config) throws SQLException {
        return DriverManager.getConnection(config.jdbcUrl(), Dialect.of(config.jdbcUrl()).connectionProperties(config));
    }

    /** Deletes every row of the store tables (they must exist). */
    static void clear(JdbcStoreConfig config) throws SQLException {
        try (Connection c = connect(config); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                s.execute("DELETE FROM " + t);
            }
        }
    }

    /** Drops the store tables and the version table. */
    static void dropAll(JdbcStoreConfig config) throws SQLException {
        try (Connection c = connect(config); Statement s = c.createStatement()) {
            for (String t : TABLES) {
                s.execute("DROP TABLE IF EXISTS " + t);
            }
            s.execute("DROP TABLE IF EXISTS " + Schema.VERSION_TABLE);
        }
    }
}
