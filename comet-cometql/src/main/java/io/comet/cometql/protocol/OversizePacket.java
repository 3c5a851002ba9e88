package io.comet.cometql.protocol;

/** Emitted by {@link MySqlFrameCodec} instead of a payload that exceeded the size limit (it was skipped). */
public final class OversizePacket {

    /** The only instance. */
    public static final OversizePacket INSTANCE = new OversizePacket();

    private OversizePacket() {
    }

    @Override
    public String toString() {
        return "OversizePacket";
    }
}
