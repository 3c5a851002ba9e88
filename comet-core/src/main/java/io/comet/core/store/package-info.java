/**
 * The durable-state SPI ({@link io.comet.core.store.Store}): auth hashes, last-seen times,
 * offline queues, pipe settings, history (with per-pipe stream positions,
 * {@link io.comet.core.store.StreamPosition}), users_data and revoked tokens, all keyed by dev_id.
 * {@link io.comet.core.store.MemoryStore} is the in-memory implementation for tests and
 * ephemeral embedding (cometql.md §6).
 */
package io.comet.core.store;
