package io.comet.core.store.jdbc;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;

/**
 * New physical connections from the JDBC driver, for the pool and for the start-up attempts:
 * the driver properties of the {@link Dialect} (credentials, MySQL connect/socket timeouts), a
 * network timeout where the driver has one, a clear message when no driver is on the class path,
 * and the {@link StoreThread} guard.
 */
final class DriverSource implements DataSource {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(DriverSource.class);

    private final String url;
    private final Properties properties;
    private final String where;
    private final Dialect dialect;
    private final int networkTimeoutMs;

    DriverSource(JdbcStoreConfig config, Dialect dialect, String where) {
        this.url = config.jdbcUrl();
        this.properties = dialect.connectionProperties(config);
        this.where = where;
        this.dialect = dialect;
        this.networkTimeoutMs = (int) Math.min(Integer.MAX_VALUE, config.queryTimeout().toMillis() + 1000);
    }

    @Override
    public Connection getConnection() throws SQLException {
        StoreThread.check();
        Connection c;
        try {
            c = DriverManager.getConnection(url, properties);
        } catch (SQLException e) {
            if ("08001".equals(e.getSQLState()) && e.getMessage() != null
                    && e.getMessage().startsWith("No suitable driver")) {
                throw new SQLException("no JDBC driver for " + where + " on the class path"
                        + (dialect == Dialect.MYSQL ? " (add com.mysql:mysql-connector-j)" : ""), "08001");
            }
            throw e;
        }
        try {
            c.setNetworkTimeout(Runnable::run, networkTimeoutMs);
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException e) {
            log.debug("driver of {} has no network timeout", where);
        }
        return c;
    }

    @Override
    public Connection getConnection(String user, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("credentials come from JdbcStoreConfig");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        // logging goes through SLF4J
    }

    @Override
    public void setLoginTimeout(int seconds) {
        // the driver's connect timeout comes from the dialect's properties
    }

    /** The connect timeout in seconds (the pool also waits this long for its connection adder at close). */
    @Override
    public int getLoginTimeout() {
        return (int) Math.max(1, (networkTimeoutMs + 999) / 1000);
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
