/**
 * Connection-phase packets: HandshakeV10, HandshakeResponse41 (parsed), AuthSwitchRequest
 * (cometql.md §1.2–1.4).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase.html">Connection phase</a>
 */
package io.comet.cometql.protocol.packet.handshake;
