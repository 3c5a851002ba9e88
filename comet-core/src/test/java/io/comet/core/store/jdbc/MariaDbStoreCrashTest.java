package io.comet.core.store.jdbc;

/** {@link StoreCrashTest} on MariaDB. */
class MariaDbStoreCrashTest extends StoreCrashTest {

    @Override
    JdbcStoreConfig emptyDatabase() throws Exception {
        JdbcStoreConfig c = TestDatabases.mariaDb("crash");
        try (JdbcStore s = JdbcStore.open(c)) {
            // schema in place before clearing
        }
        TestDatabases.clear(c);
        return c;
    }
}
