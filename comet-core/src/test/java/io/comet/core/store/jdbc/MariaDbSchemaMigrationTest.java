package io.comet.core.store.jdbc;

/** {@link SchemaMigrationTest} on MariaDB. */
class MariaDbSchemaMigrationTest extends SchemaMigrationTest {

    @Override
    JdbcStoreConfig emptyDatabase() throws Exception {
        JdbcStoreConfig c = TestDatabases.mariaDb("schema");
        TestDatabases.dropAll(c);
        return c;
    }
}
