package io.comet.cometql.protocol.packet.generic;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;

/**
 * OK: {@code 00}, affected rows, last insert id (lenenc), status, warnings 0 (cometql.md §1.7).
 * The status is AUTOCOMMIT (plus MORE_RESULTS when chaining), never NO_BACKSLASH_ESCAPES.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_ok_packet.html">OK_Packet</a>
 */
public final class MySqlOkPacket implements MySqlPacket {

    /** The plain OK (login, ping, empty statements). */
    public static final MySqlOkPacket PLAIN = new MySqlOkPacket(0, 0, MySqlConstants.STATUS_AUTOCOMMIT);

    private final long affectedRows;
    private final long lastInsertId;
    private final int status;

    /** An OK with the given counts and status flags. */
    public MySqlOkPacket(long affectedRows, long lastInsertId, int status) {
        this.affectedRows = affectedRows;
        this.lastInsertId = lastInsertId;
        this.status = status;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeInt1(0x00);
        p.writeIntLenenc(affectedRows);
        p.writeIntLenenc(lastInsertId);
        p.writeInt2(status);
        p.writeInt2(0);
    }
}
