package io.comet.cometql.protocol.packet.command;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;

/**
 * A column definition as the original sends it for every column (cometql.md §1.8): catalog
 * {@code def}, the column name, utf8, length 77, VAR_STRING, NOT_NULL, decimals {@code 0x1F}.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_column_definition.html">ColumnDefinition41</a>
 */
public final class MySqlColumnDefinition41Packet implements MySqlPacket {

    private final String table;
    private final String name;

    /** A column of {@code table} (may be empty) named {@code name}. */
    public MySqlColumnDefinition41Packet(String table, String name) {
        this.table = table;
        this.name = name;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeStringLenenc("def");
        p.writeStringLenenc("");
        p.writeStringLenenc(table);
        p.writeStringLenenc(table);
        p.writeStringLenenc(name);
        p.writeStringLenenc("");
        p.writeIntLenenc(0x0C);
        p.writeInt2(MySqlConstants.CHARSET_UTF8_GENERAL_CI);
        p.writeInt4(77);
        p.writeInt1(MySqlConstants.TYPE_VAR_STRING);
        p.writeInt2(0x0001);
        p.writeInt1(0x1F);
        p.writeReserved(2);
    }
}
