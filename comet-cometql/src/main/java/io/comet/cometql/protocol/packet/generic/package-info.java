/**
 * OK, ERR and EOF packets (cometql.md §1.7): status AUTOCOMMIT, never NO_BACKSLASH_ESCAPES; ERR
 * carries the CometQL code and SQL state HY000.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html">Generic response packets</a>
 */
package io.comet.cometql.protocol.packet.generic;
