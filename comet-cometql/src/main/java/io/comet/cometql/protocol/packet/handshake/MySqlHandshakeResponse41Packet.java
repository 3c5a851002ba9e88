package io.comet.cometql.protocol.packet.handshake;

import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.MySqlPacketPayload;

/**
 * The client's login (cometql.md §1.3): capabilities, user, auth response (lenenc, 1-byte
 * length or NUL-terminated depending on the flags), optional database, plugin name and
 * connection attributes (skipped). A 32-byte payload with CLIENT_SSL is an SSLRequest.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_response.html">Protocol::HandshakeResponse41</a>
 */
public final class MySqlHandshakeResponse41Packet {

    private final int capabilities;
    private final boolean sslRequest;
    private final String user;
    private final byte[] authResponse;
    private final String database;
    private final String pluginName;

    /** Decodes the payload; throws {@link io.comet.cometql.protocol.MySqlProtocolException} when malformed. */
    public MySqlHandshakeResponse41Packet(MySqlPacketPayload p) {
        if (p.readableBytes() < 32) {
            throw new io.comet.cometql.protocol.MySqlProtocolException("handshake response too short: " + p.readableBytes());
        }
        int caps = (int) p.readInt4();
        capabilities = caps;
        if ((caps & MySqlConstants.CLIENT_PROTOCOL_41) == 0) {
            throw new io.comet.cometql.protocol.MySqlProtocolException("pre-4.1 handshake response is not supported");
        }
        p.readInt4();
        p.readInt1();
        p.skipReserved(23);
        if (p.readableBytes() == 0 && (caps & MySqlConstants.CLIENT_SSL) != 0) {
            sslRequest = true;
            user = "";
            authResponse = new byte[0];
            database = null;
            pluginName = null;
            return;
        }
        sslRequest = false;
        user = p.readStringNul();
        if ((caps & MySqlConstants.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA) != 0) {
            authResponse = p.readBytesLenenc();
        } else if ((caps & MySqlConstants.CLIENT_SECURE_CONNECTION) != 0) {
            authResponse = p.readBytesFix(p.readInt1());
        } else {
            authResponse = p.readBytesNul();
        }
        database = (caps & MySqlConstants.CLIENT_CONNECT_WITH_DB) != 0 && p.readableBytes() > 0 ? p.readStringNul() : null;
        pluginName = (caps & MySqlConstants.CLIENT_PLUGIN_AUTH) != 0 && p.readableBytes() > 0 ? p.readStringNul() : null;
        // CLIENT_CONNECT_ATTRS: the attribute block is ignored.
    }

    public int capabilities() {
        return capabilities;
    }

    /** True for an SSLRequest (the client wants TLS before logging in). */
    public boolean isSslRequest() {
        return sslRequest;
    }

    public String user() {
        return user;
    }

    public byte[] authResponse() {
        return authResponse.clone();
    }

    /** The database the client asked for, or {@code null}. */
    public String database() {
        return database == null || database.isEmpty() ? null : database;
    }

    /** The client's auth plugin, or {@code null} when it did not send one. */
    public String pluginName() {
        return pluginName;
    }
}
