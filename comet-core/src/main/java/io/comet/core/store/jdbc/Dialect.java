package io.comet.core.store.jdbc;

import java.util.Properties;

/** The SQL databases {@link JdbcStore} supports; each has its own migration scripts. */
enum Dialect {
    /** H2 2.x, embedded file database (default) or H2 TCP server. */
    H2("h2"),
    /** MySQL 8+ and MariaDB 10.5+, through mysql-connector-j or the MariaDB driver. */
    MYSQL("mysql");

    private final String scriptDir;

    Dialect(String scriptDir) {
        this.scriptDir = scriptDir;
    }

    /** The dialect of a JDBC URL; fails with a clear message for anything else. */
    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        throw new IllegalArgumentException("jdbcUrl: " + jdbcUrl
                + " (expected: jdbc:h2:…, jdbc:mysql:… or jdbc:mariadb:…)");
    }

    /** Resource path of migration script {@code name} (e.g. {@code V1__init}). */
    String script(String name) {
        return "/io/comet/core/store/jdbc/" + scriptDir + "/" + name + ".sql";
    }

    /** Driver properties: user, password, the extra ones, and socket timeouts for network drivers. */
    Properties connectionProperties(JdbcStoreConfig config) {
        Properties p = new Properties();
        if (!config.user().isEmpty()) {
            p.setProperty("user", config.user());
        }
        if (!config.password().isEmpty()) {
            p.setProperty("password", config.password());
        }
        if (this == MYSQL) {
            String url = config.jdbcUrl();
            long timeout = config.queryTimeout().toMillis();
            if (!url.contains("connectTimeout=")) {
                p.setProperty("connectTimeout", Long.toString(timeout));
            }
            if (!url.contains("socketTimeout=")) {
                // a stalled server or network fails the statement instead of hanging the writer
                p.setProperty("socketTimeout", Long.toString(timeout + 1000));
            }
        }
        config.properties().forEach(p::setProperty);
        return p;
    }
}
