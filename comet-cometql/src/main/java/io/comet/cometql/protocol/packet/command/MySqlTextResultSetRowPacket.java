package io.comet.cometql.protocol.packet.command;

import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;
import java.util.List;

/**
 * One text row: every value a length-encoded string; {@code null} is sent as an empty string
 * (the NULL marker is never used, cometql.md §1.8).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html">Text resultset row</a>
 */
public final class MySqlTextResultSetRowPacket implements MySqlPacket {

    private final List<String> values;

    public MySqlTextResultSetRowPacket(List<String> values) {
        this.values = values;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        for (String v : values) {
            p.writeStringLenenc(v == null ? "" : v);
        }
    }
}
