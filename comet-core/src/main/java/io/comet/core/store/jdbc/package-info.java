/**
 * The durable {@link io.comet.core.store.Store} on SQL through Jdbi 3 and a HikariCP pool:
 * {@link io.comet.core.store.jdbc.JdbcStore} and its immutable settings
 * {@link io.comet.core.store.jdbc.JdbcStoreConfig}. By default an embedded H2 file database under
 * {@code ./data/comet}; MySQL 8 or MariaDB with
 * {@link io.comet.core.store.jdbc.JdbcStoreConfig#mysql(String, int, String, String, String)}
 * (cometql.md §6, docs/architecture.md rule 6). Writes are group-committed by one writer thread and
 * acknowledged after COMMIT; all JDBC runs on {@code comet-store-*} threads. {@code JdbcStore}
 * holds the mapping to SQL (per-table {@code *Sql} classes), {@code StoreRunner},
 * {@code GroupCommitWriter} and {@code Connections} the threads and connections; the schema is
 * versioned in {@code comet_schema_version} and migrated forward by the scripts under
 * {@code io/comet/core/store/jdbc/{h2,mysql}/}. See comet-core/README.md, section Storage.
 */
package io.comet.core.store.jdbc;
