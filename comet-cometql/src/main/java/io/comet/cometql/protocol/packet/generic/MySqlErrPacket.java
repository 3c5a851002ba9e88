package io.comet.cometql.protocol.packet.generic;

import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;

/**
 * ERR: {@code FF}, the CometQL error code (cometql.md §4), {@code #HY000}, the message.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_err_packet.html">ERR_Packet</a>
 */
public final class MySqlErrPacket implements MySqlPacket {

    private final int code;
    private final String message;

    /** An ERR with the given CometQL code and text. */
    public MySqlErrPacket(int code, String message) {
        this.code = code;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeInt1(0xFF);
        p.writeInt2(code);
        p.writeStringEof("#HY000");
        p.writeStringEof(message);
    }

    @Override
    public String toString() {
        return "ERR " + code + " " + message;
    }
}
