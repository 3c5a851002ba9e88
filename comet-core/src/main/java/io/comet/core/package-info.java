/**
 * Comet's engine: every rule of pipes, sessions, auth, private queues, presence and history,
 * free of any I/O framework. {@link io.comet.core.engine.CometEngine} (package {@code engine}) is the facade that the
 * WebSocket transport, CometQL and embedding applications call; a {@link io.comet.core.Session}
 * delivers through the transport's {@link io.comet.core.Outbound}; durable state goes through
 * the {@link io.comet.core.store.Store} SPI, and what crosses nodes through the
 * {@link io.comet.core.broker.Broker} SPI. The values here import no other package of the core.
 * See {@code docs/architecture.md}.
 *
 * <p>Specifications: {@code docs/client-protocol.md} §4 (server semantics) and
 * {@code docs/cometql.md} §3 and §5 (tables and validation).
 */
package io.comet.core;
