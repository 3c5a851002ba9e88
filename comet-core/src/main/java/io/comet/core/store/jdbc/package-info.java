/**
 * The durable {@link io.comet.core.store.Store} on SQL through Jdbi: {@link io.comet.core.store.jdbc.JdbcStore}
 * with its settings {@link io.comet.core.store.jdbc.JdbcStoreConfig}. By default an embedded H2 file
 * database under {@code ./data/comet}; MySQL 8 or MariaDB with
 * {@link io.comet.core.store.jdbc.JdbcStoreConfig#mysql(String, int, String, String, String)}
 * (cometql.md §6, ARCHITECTURE.md rule 5).
 */
package io.comet.core.store.jdbc;
