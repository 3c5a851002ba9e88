package io.comet.core.store.jdbc;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link GroupCommitTest} on an embedded H2 file. */
class H2GroupCommitTest extends GroupCommitTest {

    @TempDir
    Path dir;

    @Override
    JdbcStoreConfig config() {
        return TestDatabases.h2(dir);
    }
}
