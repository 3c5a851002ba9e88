package io.comet.cometql.protocol.packet.command;

import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;

/**
 * First packet of a text result set: the number of columns (cometql.md §1.8).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html">Text resultset</a>
 */
public final class MySqlFieldCountPacket implements MySqlPacket {

    private final int count;

    public MySqlFieldCountPacket(int count) {
        this.count = count;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeIntLenenc(count);
    }
}
