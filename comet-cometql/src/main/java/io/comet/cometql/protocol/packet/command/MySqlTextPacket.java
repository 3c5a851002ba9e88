package io.comet.cometql.protocol.packet.command;

import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;

/**
 * A bare {@code string<EOF>} response, the answer to COM_STATISTICS.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_statistics.html">COM_STATISTICS</a>
 */
public final class MySqlTextPacket implements MySqlPacket {

    private final String text;

    public MySqlTextPacket(String text) {
        this.text = text;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeStringEof(text);
    }
}
