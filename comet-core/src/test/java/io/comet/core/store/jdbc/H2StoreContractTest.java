package io.comet.core.store.jdbc;

import io.comet.core.store.Store;
import io.comet.core.store.StoreContractTest;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** {@link JdbcStore} on an embedded H2 file database passes the {@link StoreContractTest}. */
class H2StoreContractTest extends StoreContractTest {

    @TempDir
    Path dir;

    @Override
    protected Store openEmpty() {
        return JdbcStore.open(TestDatabases.h2(dir));
    }

    @Override
    protected Store reopen(Store current) {
        current.close();
        return JdbcStore.open(TestDatabases.h2(dir));
    }
}
