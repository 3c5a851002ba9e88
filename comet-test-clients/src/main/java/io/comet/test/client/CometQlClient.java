package io.comet.test.client;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A CometQL connection as a backend opens it: MySQL Connector/J over the MySQL protocol
 * (docs/cometql.md), with one-line helpers for what tests of a chat backend do most. Values are
 * passed as {@code ?} parameters (the driver quotes and escapes them). SQL failures become
 * {@link IllegalStateException}s carrying the server's message, so a test reads straight.
 *
 * <pre>{@code
 * try (CometQlClient ql = CometQlClient.connect(port, "secret")) {
 *     ql.publish("web_chat", "message", "hello");
 *     ql.query("SELECT * FROM users_in_pipes WHERE name = ?", "web_chat");
 * }
 * }</pre>
 *
 * Not thread-safe (one JDBC connection).
 */
public final class CometQlClient implements AutoCloseable {

    /** The database name of CometQL v1. */
    public static final String DATABASE = "CometQL_v1";

    private final Connection connection;

    private CometQlClient(Connection connection) {
        this.connection = connection;
    }

    /**
     * Connects to a CometQL listener on 127.0.0.1 as {@code root}.
     *
     * @param port     the CometQL port
     * @param password the CometQL password
     * @return the connected client
     */
    public static CometQlClient connect(int port, String password) {
        return connect("jdbc:mysql://127.0.0.1:" + port + "/" + DATABASE, "root", password);
    }

    /**
     * Connects with a JDBC URL.
     *
     * @param jdbcUrl  e.g. {@code jdbc:mysql://127.0.0.1:3300/CometQL_v1}
     * @param user     the user ({@code root}; a namespace's user otherwise)
     * @param password the password
     * @return the connected client
     */
    public static CometQlClient connect(String jdbcUrl, String user, String password) {
        try {
            return new CometQlClient(DriverManager.getConnection(jdbcUrl, user, password));
        } catch (SQLException e) {
            throw failure("connect to " + jdbcUrl, e);
        }
    }

    /** {@return the JDBC connection, for what the helpers do not cover} */
    public Connection connection() {
        return connection;
    }

    /**
     * Runs an {@code INSERT}, {@code DELETE} or other statement without a result set.
     *
     * @param sql  the statement, with {@code ?} for each argument
     * @param args the arguments
     * @return the affected row count the server reported
     */
    public int update(String sql, Object... args) {
        try (PreparedStatement st = prepare(sql, args)) {
            return st.executeUpdate();
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /**
     * Runs a {@code SELECT} or {@code SHOW}.
     *
     * @param sql  the query, with {@code ?} for each argument
     * @param args the arguments
     * @return the rows, each a map from column label to value, in column order
     */
    public List<Map<String, Object>> query(String sql, Object... args) {
        try (PreparedStatement st = prepare(sql, args); ResultSet rs = st.executeQuery()) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> rows = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    row.put(md.getColumnLabel(i), rs.getObject(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw failure(sql, e);
        }
    }

    /**
     * Publishes to a pipe: {@code INSERT INTO pipes_messages (name, event, message)}.
     *
     * @param pipe    the pipe
     * @param event   the event name
     * @param message the message text
     */
    public void publish(String pipe, String event, String message) {
        update("INSERT INTO pipes_messages (name, event, message) VALUES (?, ?, ?)", pipe, event, message);
    }

    /**
     * Sends a private message: {@code INSERT INTO users_messages (id, event, message)} (queued while offline).
     *
     * @param userId  the receiving user
     * @param event   the event name
     * @param message the message text
     */
    public void sendPrivate(long userId, String event, String message) {
        update("INSERT INTO users_messages (id, event, message) VALUES (?, ?, ?)", userId, event, message);
    }

    /**
     * Authorizes a user: {@code INSERT INTO users_auth (id, hash)}; a browser then connects with
     * {@code myid=userId} and {@code sesion=hash}.
     *
     * @param userId the user
     * @param hash   the session key the browser will present
     */
    public void authorize(long userId, String hash) {
        update("INSERT INTO users_auth (id, hash) VALUES (?, ?)", userId, hash);
    }

    private PreparedStatement prepare(String sql, Object... args) throws SQLException {
        PreparedStatement st = connection.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            st.setObject(i + 1, args[i]);
        }
        return st;
    }

    private static IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException("CometQL: " + what + ": " + e.getMessage() + " (error " + e.getErrorCode()
                + ", SQLSTATE " + e.getSQLState() + ")", e);
    }

    /** Closes the connection (COM_QUIT). */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw failure("close", e);
        }
    }
}
