/**
 * Server-to-client MySQL messages; each writes only its payload through
 * {@link io.comet.cometql.protocol.MySqlPacketPayload}. Sub-packages group them by phase:
 * {@code handshake}, {@code generic} (OK/ERR/EOF) and {@code command} (result sets).
 */
package io.comet.cometql.protocol.packet;
