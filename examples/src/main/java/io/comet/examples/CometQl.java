package io.comet.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Properties;

/**
 * The backend's side of Comet: CometQL over plain JDBC (mysql-connector-j), the Java twin of the
 * seed's {@code mysqli_query($comet, "INSERT INTO ...")}. CometQL has no prepared statements, so
 * every value goes into the SQL text as a literal: numbers as {@code long}, text through
 * {@link #quote(String)} (what {@code mysqli_real_escape_string} does in the PHP examples).
 *
 * <p>One connection, used by one thread at a time ({@code synchronized}); it is reopened after
 * an I/O failure. Thread-safe.
 */
public final class CometQl implements AutoCloseable {

    private final String url;
    private final Properties props;
    private Connection connection;

    /**
     * @param jdbcUrl e.g. {@code jdbc:mysql://127.0.0.1:3300/CometQL_v1}
     * @param user {@code root} (namespace 0) or a numeric dev_id
     * @param password the password
     */
    public CometQl(String jdbcUrl, String user, String password) {
        this.url = Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        this.props = new Properties();
        props.setProperty("user", Objects.requireNonNull(user, "user"));
        props.setProperty("password", Objects.requireNonNull(password, "password"));
        props.setProperty("connectTimeout", "5000");
        props.setProperty("socketTimeout", "10000");
    }

    /**
     * A MySQL string literal of {@code s}, quotes included: backslash, both quotes, NUL, CR, LF
     * and Ctrl-Z are backslash-escaped, everything else (any Unicode) is kept as is.
     *
     * @param s the s
     * @return a MySQL string literal of {@code s}, quotes included
     */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\\' -> sb.append("\\\\");
                case '\'' -> sb.append("\\'");
                case '"' -> sb.append("\\\"");
                case '\0' -> sb.append("\\0");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\u001a' -> sb.append("\\Z");
                default -> sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    /**
     * {@code INSERT INTO pipes_messages}: {@code json} to every subscriber of {@code pipe}.
     *
     * @param pipe the pipe
     * @param event the event
     * @param json the json
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public void publish(String pipe, String event, String json) throws SQLException {
        update("INSERT INTO pipes_messages (name, event, message) VALUES (" + quote(pipe) + ", " + quote(event) + ", "
                + quote(json) + ")");
    }

    /**
     * {@code INSERT INTO users_auth}: the browser of {@code userId} may now connect with {@code hash}.
     *
     * @param userId the user id
     * @param hash the hash
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public void authorize(long userId, String hash) throws SQLException {
        update("INSERT INTO users_auth (id, hash) VALUES (" + userId + ", " + quote(hash) + ")");
    }

    /**
     * {@code DELETE FROM users_auth}: forgets the hash and disconnects that user's browsers.
     *
     * @param userId the user id
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public void deauthorize(long userId) throws SQLException {
        update("DELETE FROM users_auth WHERE id = " + userId);
    }

    /**
     * {@code INSERT INTO users_messages}: {@code json} to every connection of {@code userId}
     * (all their devices), queued by the server while they have none.
     *
     * @param userId the user id
     * @param event the event
     * @param json the json
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public void sendToUser(long userId, String event, String json) throws SQLException {
        update("INSERT INTO users_messages (id, event, message) VALUES (" + userId + ", " + quote(event) + ", "
                + quote(json) + ")");
    }

    /**
     * {@code SELECT user_id FROM users_in_pipes}: one entry per connection subscribed to {@code pipe} (0 = guest).
     *
     * @param pipe the pipe
     * @return {@code SELECT user_id FROM users_in_pipes}
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public List<Long> usersInPipe(String pipe) throws SQLException {
        List<Long> ids = new ArrayList<>();
        for (List<String> row : query("SELECT user_id FROM users_in_pipes WHERE name = " + quote(pipe))) {
            ids.add(Long.parseLong(row.get(0)));
        }
        return ids;
    }

    /**
     * {@code SELECT time FROM users_time}: 0 while online, else the last disconnect (unix s), -1 unknown.
     *
     * @param userId the user id
     * @return {@code SELECT time FROM users_time}
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public long lastOnline(long userId) throws SQLException {
        List<List<String>> rows = query("SELECT * FROM users_time WHERE id = " + userId);
        return rows.isEmpty() ? -1 : Long.parseLong(rows.get(0).get(1));
    }

    /**
     * Runs an INSERT/DELETE; returns the update count.
     *
     * @param sql the sql
     * @return the affected row count
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public synchronized int update(String sql) throws SQLException {
        try (Statement st = connection().createStatement()) {
            return st.executeUpdate(sql);
        } catch (SQLException e) {
            dropIfBroken(e);
            throw e;
        }
    }

    /**
     * Runs a SELECT; every value as a string.
     *
     * @param sql the sql
     * @return the rows
     * @throws java.sql.SQLException if CometQL answers with an error or the connection fails
     */
    public synchronized List<List<String>> query(String sql) throws SQLException {
        try (Statement st = connection().createStatement(); ResultSet rs = st.executeQuery(sql)) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            dropIfBroken(e);
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(url, props);
        }
        return connection;
    }

    private void dropIfBroken(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("08")) { // connection exception: reconnect next time
            closeQuietly();
        }
    }

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
