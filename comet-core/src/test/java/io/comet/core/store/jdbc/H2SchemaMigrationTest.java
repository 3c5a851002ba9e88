package io.comet.core.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link SchemaMigrationTest} on an H2 file database. */
class H2SchemaMigrationTest extends SchemaMigrationTest {

    @TempDir
    Path dir;

    @Override
    JdbcStoreConfig emptyDatabase() {
        return TestDatabases.h2(dir);
    }
}
