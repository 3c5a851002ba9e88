package io.comet.cometql.protocol.packet;

import io.comet.cometql.protocol.MySqlPacketPayload;

/**
 * One server-to-client MySQL message. It writes only its payload: the frame codec adds the
 * length and the sequence id (packets never hold a sequence id).
 */
public interface MySqlPacket {

    /** Writes the payload. */
    void write(MySqlPacketPayload payload);
}
