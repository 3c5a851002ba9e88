package io.comet.bench;

import java.sql.SQLException;

/**
 * One CometQL connection able to run a statement that returns no rows. Two implementations:
 * JDBC (MySQL Connector/J, the default, what Java backends use) and {@link RawQlSession}, a
 * minimal MySQL-protocol client that sends nothing but the login and {@code COM_QUERY}, for
 * servers that cannot answer Connector/J's connect-time queries (the original CppComet 4.09
 * rejects them and its binary scramble breaks Connector/J's login, cometql spec §1.2, §1.11).
 */
interface QlSession extends AutoCloseable {
    void update(String sql) throws SQLException;

    @Override
    void close();

    /** Opens a session of the kind selected by {@code target.rawQl()}. */
    static QlSession open(Target t) throws SQLException {
        return t.rawQl() ? RawQlSession.connect(t) : new JdbcQlSession(t);
    }

    /** The JDBC session: a plain Statement with literal SQL (CometQL has no prepared statements). */
    final class JdbcQlSession implements QlSession {
        private final java.sql.Connection conn;
        private final java.sql.Statement stmt;

        JdbcQlSession(Target t) throws SQLException {
            conn = CometQl.connect(t);
            stmt = conn.createStatement();
        }

        @Override
        public void update(String sql) throws SQLException {
            stmt.executeUpdate(sql);
        }

        @Override
        public void close() {
            try {
                stmt.close();
                conn.close();
            } catch (SQLException ignored) {
                // end of run
            }
        }
    }
}
