package io.comet.core.store.jdbc;

import io.comet.core.store.Store;
import io.comet.core.store.StoreContractTest;

/** {@link JdbcStore} on MariaDB (started by .ci/start-mariadb.sh) passes the {@link StoreContractTest}. */
class MariaDbStoreContractTest extends StoreContractTest {

    private JdbcStoreConfig config;

    @Override
    protected Store openEmpty() throws Exception {
        config = TestDatabases.mariaDb("contract");
        JdbcStore s = JdbcStore.open(config); // creates or migrates the schema
        TestDatabases.clear(config);
        return s;
    }

    @Override
    protected Store reopen(Store current) {
        current.close();
        return JdbcStore.open(config);
    }
}
