/**
 * Command-phase packets: the COM_* byte values and the text result set (field count, column
 * definitions, rows) of cometql.md §1.8.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html">Command phase</a>
 */
package io.comet.cometql.protocol.packet.command;
