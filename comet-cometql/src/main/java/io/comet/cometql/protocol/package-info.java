/**
 * The MySQL client/server protocol as CometQL speaks it (cometql.md §1): one frame codec owning
 * sequence ids and 0xFFFFFF continuation ({@link io.comet.cometql.protocol.MySqlFrameCodec}), one
 * payload reader/writer ({@link io.comet.cometql.protocol.MySqlPacketPayload}), flow control so a
 * connection runs one command at a time, and the connection handler with its authentication
 * phases ({@link io.comet.cometql.protocol.MySqlFrontendHandler}).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/PAGE_PROTOCOL.html">MySQL client/server protocol</a>
 */
package io.comet.cometql.protocol;
