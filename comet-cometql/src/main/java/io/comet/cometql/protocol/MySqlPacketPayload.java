package io.comet.cometql.protocol;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Every MySQL basic type read and written in one place: fixed-length integers
 * ({@code int<1..8>}), length-encoded integers and strings, NUL-terminated strings and
 * rest-of-packet strings. Packets never touch a {@link ByteBuf} directly.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_data_types.html">Basic data types</a>
 */
public final class MySqlPacketPayload {

    private final ByteBuf buf;

    /** Wraps {@code buf}; the payload does not own (release) it. */
    public MySqlPacketPayload(ByteBuf buf) {
        this.buf = buf;
    }

    /** The wrapped buffer. */
    public ByteBuf byteBuf() {
        return buf;
    }

    /** Unread bytes. */
    public int readableBytes() {
        return buf.readableBytes();
    }

    // ---- reads

    /** {@code int<1>}. */
    public int readInt1() {
        return buf.readUnsignedByte();
    }

    /** {@code int<2>} little-endian. */
    public int readInt2() {
        return buf.readUnsignedShortLE();
    }

    /** {@code int<3>} little-endian. */
    public int readInt3() {
        return buf.readUnsignedMediumLE();
    }

    /** {@code int<4>} little-endian (unsigned, as a long). */
    public long readInt4() {
        return buf.readUnsignedIntLE();
    }

    /** {@code int<8>} little-endian. */
    public long readInt8() {
        return buf.readLongLE();
    }

    /**
     * {@code int<lenenc>}: {@code 0xFC} + 2 bytes, {@code 0xFD} + 3, {@code 0xFE} + 8, else the
     * byte itself. {@code 0xFB} (NULL) and {@code 0xFF} are rejected.
     */
    public long readIntLenenc() {
        int first = buf.readUnsignedByte();
        if (first < 0xFB) {
            return first;
        }
        switch (first) {
            case 0xFC:
                return buf.readUnsignedShortLE();
            case 0xFD:
                return buf.readUnsignedMediumLE();
            case 0xFE:
                return buf.readLongLE();
            default:
                throw new MySqlProtocolException("invalid length-encoded integer prefix: 0x" + Integer.toHexString(first));
        }
    }

    /** {@code string<lenenc>} as raw bytes. */
    public byte[] readBytesLenenc() {
        long len = readIntLenenc();
        return readBytesFix(checkLength(len));
    }

    /** {@code string<fix>}: exactly {@code n} bytes. */
    public byte[] readBytesFix(int n) {
        if (n < 0 || n > buf.readableBytes()) {
            throw new MySqlProtocolException("length " + n + " exceeds the " + buf.readableBytes() + " bytes left");
        }
        byte[] b = new byte[n];
        buf.readBytes(b);
        return b;
    }

    /** {@code string<NUL>} as raw bytes (the NUL is consumed); a missing NUL reads to the end. */
    public byte[] readBytesNul() {
        int nul = buf.indexOf(buf.readerIndex(), buf.writerIndex(), (byte) 0);
        byte[] b;
        if (nul < 0) {
            b = readBytesEof();
        } else {
            b = readBytesFix(nul - buf.readerIndex());
            buf.skipBytes(1);
        }
        return b;
    }

    /** {@code string<NUL>} decoded as UTF-8. */
    public String readStringNul() {
        return new String(readBytesNul(), StandardCharsets.UTF_8);
    }

    /** {@code string<EOF>}: the rest of the packet. */
    public byte[] readBytesEof() {
        return readBytesFix(buf.readableBytes());
    }

    /** {@code string<EOF>} decoded as UTF-8. */
    public String readStringEof() {
        return new String(readBytesEof(), StandardCharsets.UTF_8);
    }

    /** Skips {@code n} bytes. */
    public void skipReserved(int n) {
        if (n > buf.readableBytes()) {
            throw new MySqlProtocolException("cannot skip " + n + " bytes, " + buf.readableBytes() + " left");
        }
        buf.skipBytes(n);
    }

    private int checkLength(long len) {
        if (len < 0 || len > buf.readableBytes()) {
            throw new MySqlProtocolException("length " + len + " exceeds the " + buf.readableBytes() + " bytes left");
        }
        return (int) len;
    }

    // ---- writes

    /** {@code int<1>}. */
    public void writeInt1(int v) {
        buf.writeByte(v);
    }

    /** {@code int<2>} little-endian. */
    public void writeInt2(int v) {
        buf.writeShortLE(v);
    }

    /** {@code int<3>} little-endian. */
    public void writeInt3(int v) {
        buf.writeMediumLE(v);
    }

    /** {@code int<4>} little-endian. */
    public void writeInt4(long v) {
        buf.writeIntLE((int) v);
    }

    /** {@code int<8>} little-endian. */
    public void writeInt8(long v) {
        buf.writeLongLE(v);
    }

    /** {@code int<lenenc>}, correct for every size (the original's 3-byte bug is not reproduced). */
    public void writeIntLenenc(long v) {
        if (v < 0) {
            buf.writeByte(0xFE);
            buf.writeLongLE(v);
        } else if (v < 0xFB) {
            buf.writeByte((int) v);
        } else if (v < 0x1_0000L) {
            buf.writeByte(0xFC);
            buf.writeShortLE((int) v);
        } else if (v < 0x100_0000L) {
            buf.writeByte(0xFD);
            buf.writeMediumLE((int) v);
        } else {
            buf.writeByte(0xFE);
            buf.writeLongLE(v);
        }
    }

    /** {@code string<lenenc>} of raw bytes. */
    public void writeBytesLenenc(byte[] b) {
        writeIntLenenc(b.length);
        buf.writeBytes(b);
    }

    /** {@code string<lenenc>} in UTF-8. */
    public void writeStringLenenc(String s) {
        writeBytesLenenc(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code string<NUL>} in UTF-8. */
    public void writeStringNul(String s) {
        buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        buf.writeByte(0);
    }

    /** Raw bytes ({@code string<fix>} / {@code string<EOF>}). */
    public void writeBytes(byte[] b) {
        buf.writeBytes(b);
    }

    /** {@code string<EOF>} in UTF-8. */
    public void writeStringEof(String s) {
        buf.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code n} zero bytes. */
    public void writeReserved(int n) {
        buf.writeZero(n);
    }
}
