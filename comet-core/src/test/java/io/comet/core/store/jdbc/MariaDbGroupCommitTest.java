package io.comet.core.store.jdbc;

/** {@link GroupCommitTest} on MariaDB. */
class MariaDbGroupCommitTest extends GroupCommitTest {

    @Override
    JdbcStoreConfig config() throws Exception {
        JdbcStoreConfig c = TestDatabases.mariaDb("groupcommit");
        try (JdbcStore s = JdbcStore.open(c)) {
            // schema in place before clearing
        }
        TestDatabases.clear(c);
        return c;
    }
}
