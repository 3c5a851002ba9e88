package io.comet.core.store.jdbc;

/** {@link StoreCrashTest} on an embedded H2 file (the default store). */
class H2StoreCrashTest extends StoreCrashTest {

    @Override
    JdbcStoreConfig emptyDatabase() {
        return TestDatabases.h2(tmp);
    }
}
