package io.comet.core.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.ConnectionException;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.SqlStatements;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The store's connections: a HikariCP pool of {@link JdbcStoreConfig#poolSize()} connections
 * (one per store thread, so a thread never waits for another's connection), validated when
 * borrowed after being idle and refilled in the background after an outage, plus direct
 * connections for the start-up attempts. Connections are borrowed per batch or read and
 * returned at once; one that failed with a connection problem is evicted.
 */
final class Connections implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Connections.class);

    private final JdbcStoreConfig config;
    private final DriverSource source;
    private final Jdbi direct;
    private volatile HikariDataSource pool;
    private volatile Jdbi pooled;

    Connections(JdbcStoreConfig config, Dialect dialect, String where) {
        this.config = config;
        this.source = new DriverSource(config, dialect, where);
        this.direct = withTimeouts(Jdbi.create(source));
    }

    private Jdbi withTimeouts(Jdbi jdbi) {
        jdbi.getConfig(SqlStatements.class).setQueryTimeout((int) Math.max(1, config.queryTimeout().toSeconds()));
        return jdbi;
    }

    /** A handle on a new connection outside the pool (start-up attempts, schema migration); close it after use. */
    Handle openDirect() {
        StoreThread.check();
        return direct.open();
    }

    /**
     * Starts the pool and waits until it holds all its connections (opened on
     * {@code comet-store-pool-N} threads), so the store is fully connected when it opens.
     */
    void startPool() {
        close(); // a previous attempt's pool
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("comet-store");
        hc.setDataSource(source);
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(config.poolSize());
        hc.setInitializationFailTimeout(-1); // the start-up attempts already reached the database
        long queryMs = config.queryTimeout().toMillis();
        hc.setConnectionTimeout(queryMs + 1000); // waiting for a (re)connection; the operation deadline still applies
        hc.setValidationTimeout(queryMs);
        hc.setThreadFactory(StoreThread.factory("pool"));
        hc.setRegisterMbeans(false);
        HikariDataSource ds = new HikariDataSource(hc);
        pooled = withTimeouts(Jdbi.create(() -> {
            StoreThread.check();
            return ds.getConnection();
        }));
        pool = ds;
        List<Connection> all = new ArrayList<>();
        try {
            for (int i = 0; i < config.poolSize(); i++) {
                all.add(ds.getConnection());
            }
        } catch (SQLException e) {
            throw new ConnectionException(e);
        } finally {
            for (Connection c : all) {
                try {
                    c.close(); // back to the pool
                } catch (SQLException e) {
                    log.debug("returning a store connection failed: {}", e.toString());
                }
            }
        }
    }

    /** Borrows a pooled connection as a handle; give it back with {@link #release} or {@link #discard}. */
    Handle open() {
        StoreThread.check();
        Jdbi j = pooled;
        if (j == null) {
            throw new IllegalStateException("store connection pool not started");
        }
        return j.open();
    }

    /** Rolls back what is open and returns the connection to the pool (null: nothing). */
    static void release(Handle h) {
        if (h == null) {
            return;
        }
        try {
            if (h.isInTransaction()) {
                h.rollback();
            }
        } catch (RuntimeException e) {
            // broken connection: closed below
        }
        try {
            h.close();
        } catch (RuntimeException e) {
            log.debug("closing a store connection failed: {}", e.toString());
        }
    }

    /** Evicts a broken connection from the pool and closes it (null: nothing). */
    void discard(Handle h) {
        if (h == null) {
            return;
        }
        HikariDataSource ds = pool;
        if (ds != null) {
            try {
                ds.evictConnection(h.getConnection());
            } catch (RuntimeException e) {
                log.debug("evicting a store connection failed: {}", e.toString());
            }
        }
        release(h);
    }

    /** Whether {@code e} (on {@code h}, null when none could be opened) means the connection is unusable. */
    static boolean isConnectionProblem(Handle h, Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof ConnectionException) {
                return true; // could not open a connection
            }
            if (c instanceof SQLTransientConnectionException || c instanceof SQLNonTransientConnectionException
                    || c instanceof SQLRecoverableException || c instanceof SQLTimeoutException) {
                return true;
            }
            if (c instanceof SQLException s && s.getSQLState() != null && s.getSQLState().startsWith("08")) {
                return true;
            }
        }
        if (h == null) {
            return true;
        }
        try {
            return !h.getConnection().isValid(1);
        } catch (SQLException | RuntimeException ex) {
            return true;
        }
    }

    /** The class and first message line of the innermost cause. */
    static String rootMessage(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        Throwable c = e;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Closes the pool and its connections (after the store threads ended). */
    @Override
    public void close() {
        HikariDataSource ds = pool;
        pool = null;
        pooled = null;
        if (ds != null) {
            ds.close();
        }
    }
}
