package io.comet.cometql.protocol.packet.handshake;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;

/**
 * Asks a client that started with another plugin (MySQL 8+: {@code caching_sha2_password}) to
 * answer with {@code mysql_native_password} over the same scramble (cometql.md §1.3 [proj]).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_switch_request.html">Protocol::AuthSwitchRequest</a>
 */
public final class MySqlAuthSwitchRequestPacket implements MySqlPacket {

    private final byte[] scramble;

    /** A switch request carrying the connection's 20-byte scramble. */
    public MySqlAuthSwitchRequestPacket(byte[] scramble) {
        this.scramble = scramble.clone();
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeInt1(0xFE);
        p.writeStringNul(MySqlConstants.NATIVE_PASSWORD);
        p.writeBytes(scramble);
        p.writeInt1(0);
    }
}
