package io.comet.launcher;

import io.comet.launcher.IniKeys.Level;
import java.time.Duration;

/** The {@code [db]} keys of comet.ini (the store), in README order. */
final class DbKeys {

    private DbKeys() {
    }

    static void register(IniKeyList keys) {
        keys.applied("db", "host", "unset (embedded H2)", Level.ESSENTIAL,
                "MySQL/MariaDB server for the store; when set, `user` and `name` are required too. Unset: embedded "
                        + "H2 under `[main] data_dir`.",
                (b, v, p) -> b.dbHost(p.nonEmpty(v)));
        keys.applied("db", "port", "3306", Level.ESSENTIAL, "MySQL/MariaDB port.",
                (b, v, p) -> b.dbPort(p.integer(v, 1, 65_535)));
        keys.applied("db", "name", "—", Level.ESSENTIAL, "Database name (required with `host`).",
                (b, v, p) -> b.dbName(p.nonEmpty(v)));
        keys.applied("db", "user", "—", Level.ESSENTIAL, "Database user (required with `host`).",
                (b, v, p) -> b.dbUser(p.nonEmpty(v)));
        keys.applied("db", "password", "empty", Level.ESSENTIAL,
                "Database password. The environment variable `COMET_DB_PASSWORD` wins over the file.",
                (b, v, p) -> b.dbPassword(v.text()));
        keys.applied("db", "url", "unset", Level.RARE,
                "Comet only: a full JDBC URL for the store (`jdbc:mysql:`, `jdbc:mariadb:`, `jdbc:h2:`) instead of "
                        + "`host`/`port`/`name`; `user` and `password` still apply.",
                (b, v, p) -> {
                    try {
                        io.comet.core.store.jdbc.JdbcStoreConfig.builder().jdbcUrl(p.nonEmpty(v)).build();
                    } catch (IllegalArgumentException e) {
                        throw p.bad(e.getMessage());
                    }
                    b.dbUrl(v.text());
                });
        keys.applied("db", "connection_attempts", "10", Level.RARE,
                "Connection attempts at start, 5 s apart, before the start fails.",
                (b, v, p) -> b.dbConnectionAttempts(p.integer(v, 1, 1000)));
        keys.applied("db", "operation_timeout", "10", Level.RARE,
                "Comet only: seconds one store operation may take (queueing and reconnecting included); past it "
                        + "the CometQL write fails with ERR 500 and the server keeps running.",
                (b, v, p) -> b.store(s -> s.operationTimeout(Duration.ofSeconds(p.integer(v, 1, 3600)))));
        keys.applied("db", "query_timeout", "5", Level.RARE,
                "Comet only: seconds of one SQL statement (JDBC query and socket timeout).",
                (b, v, p) -> b.store(s -> s.queryTimeout(Duration.ofSeconds(p.integer(v, 1, 3600)))));
        keys.ignored("db", "buf_size", "103840", "Statement buffer of the original.");
    }
}
