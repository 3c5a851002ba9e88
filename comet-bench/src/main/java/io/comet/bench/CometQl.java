package io.comet.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * CometQL over JDBC (MySQL Connector/J): plain {@link Statement}s with literal SQL, because
 * CometQL has no prepared statements. Values the bench sends are ASCII letters, digits, dots and
 * underscores only, so no escaping question arises.
 */
final class CometQl {
    private CometQl() {
    }

    static Connection connect(Target t) throws SQLException {
        return DriverManager.getConnection(t.jdbcUrl());
    }

    static String publishSql(String pipe, String event, String message) {
        return "INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe + "', '" + event
                + "', '" + message + "')";
    }

    static String privateSql(long userId, String event, String message) {
        return "INSERT INTO users_messages (id, event, message) VALUES (" + userId + ", '" + event
                + "', '" + message + "')";
    }

    static String authSql(long userId, String hash) {
        return "INSERT INTO users_auth (id, hash) VALUES (" + userId + ", '" + hash + "')";
    }

    /** Runs one statement on a fresh connection. */
    static void exec(Target t, String sql) throws SQLException {
        try (Connection c = connect(t); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    /** {@code SHOW STATUS}-style rows as "name=value", or an empty list when unsupported. */
    static List<String> show(Target t, String sql) {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(t); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder sb = new StringBuilder();
                for (int i = 1; i <= cols; i++) {
                    if (i > 1) {
                        sb.append('=');
                    }
                    sb.append(rs.getString(i));
                }
                rows.add(sb.toString());
            }
        } catch (SQLException e) {
            rows.add("error: " + e.getMessage());
        }
        return rows;
    }
}
