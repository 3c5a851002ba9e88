package io.comet.cometql.protocol.packet.handshake;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.MySqlPacketPayload;
import io.comet.cometql.protocol.packet.MySqlPacket;
import java.util.Arrays;

/**
 * Initial handshake, protocol version 10 (cometql.md §1.2): version string, connection id, the
 * 20-byte ASCII scramble in two parts, capabilities, utf8mb4 and AUTOCOMMIT,
 * {@code mysql_native_password}.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html">Protocol::HandshakeV10</a>
 */
public final class MySqlHandshakeV10Packet implements MySqlPacket {

    private final String serverVersion;
    private final long connectionId;
    private final byte[] scramble;
    private final int capabilities;

    /** A handshake; {@code scramble} must be 20 bytes. */
    public MySqlHandshakeV10Packet(String serverVersion, long connectionId, byte[] scramble, int capabilities) {
        if (scramble.length != 20) {
            throw new IllegalArgumentException("scramble: " + scramble.length + " bytes (expected: 20)");
        }
        this.serverVersion = serverVersion;
        this.connectionId = connectionId;
        this.scramble = scramble.clone();
        this.capabilities = capabilities;
    }

    @Override
    public void write(MySqlPacketPayload p) {
        p.writeInt1(0x0A);
        p.writeStringNul(serverVersion);
        p.writeInt4(connectionId);
        p.writeBytes(Arrays.copyOfRange(scramble, 0, 8));
        p.writeInt1(0);
        p.writeInt2(capabilities & 0xFFFF);
        p.writeInt1(MySqlConstants.CHARSET_UTF8MB4_GENERAL_CI);
        p.writeInt2(MySqlConstants.STATUS_AUTOCOMMIT);
        p.writeInt2(capabilities >>> 16);
        p.writeInt1(21);
        p.writeReserved(10);
        p.writeBytes(Arrays.copyOfRange(scramble, 8, 20));
        p.writeInt1(0);
        p.writeStringNul(MySqlConstants.NATIVE_PASSWORD);
    }
}
