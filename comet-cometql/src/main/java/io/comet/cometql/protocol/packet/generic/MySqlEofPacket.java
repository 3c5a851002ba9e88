package io.comet.cometql.protocol.packet.generic;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;

/**
 * EOF: {@code FE}, warnings 0, status (cometql.md §1.7). DEPRECATE_EOF is never negotiated, so
 * result sets always end with it.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_eof_packet.html">EOF_Packet</a>
 */
public final class MySqlEofPacket implements MySqlPacket {

    /** EOF with AUTOCOMMIT status. */
    public static final MySqlEofPacket DEFAULT = new MySqlEofPacket(MySqlConstants.STATUS_AUTOCOMMIT);

    private final int status;

    /** An EOF with the given status flags. */
    public MySqlEofPacket(int status) {
        this.status = status;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeInt1(0xFE);
        p.writeInt2(0);
        p.writeInt2(status);
    }
}
