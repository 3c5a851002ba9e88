package io.comet.launcher;

import io.comet.core.store.jdbc.JdbcStoreConfig;
import java.util.function.Consumer;

/**
 * Which store a {@link LauncherConfigBuilder} describes ({@code [db]} of comet.ini): none (memory),
 * an explicit {@link JdbcStoreConfig}, a JDBC URL, MySQL/MariaDB host settings, or the embedded
 * H2 file under the data directory (the default).
 */
final class StoreChoice {

    private StoreChoice() {
    }

    /** {@return the store settings, or {@code null} for the memory store} */
    static JdbcStoreConfig of(LauncherConfigBuilder b) {
        if (b.memoryStore) {
            return null;
        }
        JdbcStoreConfig base;
        if (b.explicitStore != null) {
            base = b.explicitStore;
        } else if (b.dbUrl != null) {
            base = JdbcStoreConfig.builder().jdbcUrl(b.dbUrl).user(b.dbUser).password(b.dbPassword)
                    .connectionAttempts(b.dbConnectionAttempts).build();
        } else if (b.dbHost != null) {
            if (b.dbName == null || b.dbUser == null) {
                throw new IllegalArgumentException("db: name and user are required with a host");
            }
            base = JdbcStoreConfig.mysql(b.dbHost, b.dbPort, b.dbName, b.dbUser, b.dbPassword).toBuilder()
                    .connectionAttempts(b.dbConnectionAttempts).build();
        } else {
            base = JdbcStoreConfig.h2File(b.dataDir.resolve("comet"));
        }
        JdbcStoreConfig.Builder sb = base.toBuilder();
        for (Consumer<JdbcStoreConfig.Builder> c : b.storeSettings) {
            c.accept(sb);
        }
        return sb.build();
    }
}
