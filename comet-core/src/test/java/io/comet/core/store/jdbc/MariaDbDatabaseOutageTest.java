package io.comet.core.store.jdbc;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link DatabaseOutageTest} on MariaDB. */
class MariaDbDatabaseOutageTest extends DatabaseOutageTest {

    private JdbcStoreConfig direct;

    @Override
    String[] database() {
        direct = TestDatabases.mariaDb("outage");
        Matcher m = Pattern.compile("jdbc:(?:mysql|mariadb)://([^:/]+):(\\d+)/(.*)").matcher(direct.jdbcUrl());
        if (!m.matches()) {
            throw new IllegalStateException("cannot parse " + direct.jdbcUrl());
        }
        return new String[] {m.group(1), m.group(2)};
    }

    @Override
    JdbcStoreConfig.Builder through(int proxyPort) {
        return direct.toBuilder().jdbcUrl(direct.jdbcUrl().replaceFirst("//[^/]+/", "//127.0.0.1:" + proxyPort + "/"));
    }
}
