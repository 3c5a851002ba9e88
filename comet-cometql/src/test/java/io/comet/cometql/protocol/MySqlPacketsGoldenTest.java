package io.comet.cometql.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.cometql.protocol.packet.MySqlPacket;
import io.comet.cometql.protocol.packet.command.MySqlColumnDefinition41Packet;
import io.comet.cometql.protocol.packet.command.MySqlFieldCountPacket;
import io.comet.cometql.protocol.packet.command.MySqlTextResultSetRowPacket;
import io.comet.cometql.protocol.packet.generic.MySqlEofPacket;
import io.comet.cometql.protocol.packet.generic.MySqlErrPacket;
import io.comet.cometql.protocol.packet.generic.MySqlOkPacket;
import io.comet.cometql.protocol.packet.handshake.MySqlAuthSwitchRequestPacket;
import io.comet.cometql.protocol.packet.handshake.MySqlHandshakeResponse41Packet;
import io.comet.cometql.protocol.packet.handshake.MySqlHandshakeV10Packet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Golden bytes of every packet CometQL writes or parses (cometql.md §1.2–1.8). */
class MySqlPacketsGoldenTest {

    private static String hex(MySqlPacket p) {
        ByteBuf b = Unpooled.buffer();
        try {
            p.write(new MySqlPacketPayload(b));
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    @Test
    void okPackets() {
        // plain OK, as observed on the original: 00 00 00 02 00 00 00
        assertThat(hex(MySqlOkPacket.PLAIN)).isEqualTo("00000002000000");
        // INSERT users_auth id 301: affected 1, last insert id 301 (fc 2d 01), status AUTOCOMMIT only
        assertThat(hex(new MySqlOkPacket(1, 301, 2))).isEqualTo("0001fc2d0102000000");
    }

    @Test
    void errPacketCarriesTheCometQlCodeAndHy000() {
        assertThat(hex(new MySqlErrPacket(3, "Syntax error in query")))
                .isEqualTo("ff0300" + "234859303030" + ByteBufUtil.hexDump("Syntax error in query".getBytes()));
    }

    @Test
    void eofPacket() {
        assertThat(hex(MySqlEofPacket.DEFAULT)).isEqualTo("fe00000200");
        assertThat(hex(new MySqlEofPacket(0x000A))).isEqualTo("fe00000a00");
    }

    @Test
    void lengthEncodedIntegersForEverySize() {
        ByteBuf b = Unpooled.buffer();
        MySqlPacketPayload p = new MySqlPacketPayload(b);
        for (long v : new long[] {0, 250, 251, 65535, 65536, 16_777_215, 16_777_216}) {
            p.writeIntLenenc(v);
        }
        assertThat(ByteBufUtil.hexDump(b)).isEqualTo("00" + "fa" + "fcfb00" + "fcffff" + "fd000001" + "fdffffff"
                + "fe0000000100000000");
        for (long v : new long[] {0, 250, 251, 65535, 65536, 16_777_215, 16_777_216}) {
            assertThat(p.readIntLenenc()).isEqualTo(v);
        }
        b.release();
    }

    @Test
    void handshakeV10Layout() {
        byte[] scramble = "abcdefghijklmnopqrst".getBytes();
        String h = hex(new MySqlHandshakeV10Packet("5.7.99-CometQL-0.1", 0x22, scramble, MySqlConstants.SERVER_CAPABILITIES));
        String caps = String.format("%08x", Integer.reverseBytes(MySqlConstants.SERVER_CAPABILITIES));
        assertThat(h).isEqualTo("0a" + ByteBufUtil.hexDump("5.7.99-CometQL-0.1".getBytes()) + "00"
                + "22000000" + ByteBufUtil.hexDump("abcdefgh".getBytes()) + "00"
                + caps.substring(0, 4) + "2d" + "0200" + caps.substring(4) + "15" + "00".repeat(10)
                + ByteBufUtil.hexDump("ijklmnopqrst".getBytes()) + "00"
                + ByteBufUtil.hexDump("mysql_native_password".getBytes()) + "00");
    }

    @Test
    void authSwitchRequest() {
        byte[] scramble = "abcdefghijklmnopqrst".getBytes();
        assertThat(hex(new MySqlAuthSwitchRequestPacket(scramble))).isEqualTo("fe"
                + ByteBufUtil.hexDump("mysql_native_password".getBytes()) + "00"
                + ByteBufUtil.hexDump(scramble) + "00");
    }

    @Test
    void columnDefinitionAsTheOriginal() {
        assertThat(hex(new MySqlColumnDefinition41Packet("", "name"))).isEqualTo(
                "03646566" + "00" + "00" + "00" + "046e616d65" + "00" + "0c" + "2100" + "4d000000" + "fd" + "0100" + "1f"
                        + "0000");
        assertThat(hex(new MySqlFieldCountPacket(2))).isEqualTo("02");
        assertThat(hex(new MySqlTextResultSetRowPacket(Arrays.asList("p10", null, "")))).isEqualTo("03703130" + "00" + "00");
    }

    @Test
    void handshakeResponse41WithLenencAuthDatabaseAndAttributes() {
        int caps = MySqlConstants.CLIENT_PROTOCOL_41 | MySqlConstants.CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
                | MySqlConstants.CLIENT_SECURE_CONNECTION | MySqlConstants.CLIENT_CONNECT_WITH_DB
                | MySqlConstants.CLIENT_PLUGIN_AUTH | MySqlConstants.CLIENT_CONNECT_ATTRS;
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(caps).writeIntLE(16_777_216).writeByte(45).writeZero(23);
        b.writeBytes("root\0".getBytes()).writeByte(20).writeBytes(new byte[20]);
        b.writeBytes("CometQL_v1\0".getBytes()).writeBytes("caching_sha2_password\0".getBytes());
        b.writeByte(3).writeBytes(new byte[] {1, 'k', 0});
        MySqlHandshakeResponse41Packet r = new MySqlHandshakeResponse41Packet(new MySqlPacketPayload(b));
        assertThat(r.user()).isEqualTo("root");
        assertThat(r.authResponse()).hasSize(20);
        assertThat(r.database()).isEqualTo("CometQL_v1");
        assertThat(r.pluginName()).isEqualTo("caching_sha2_password");
        assertThat(r.isSslRequest()).isFalse();
        b.release();
    }

    @Test
    void truncatedHandshakeResponseIsAProtocolError() {
        ByteBuf b = Unpooled.buffer();
        b.writeIntLE(MySqlConstants.CLIENT_PROTOCOL_41 | MySqlConstants.CLIENT_SECURE_CONNECTION).writeIntLE(0)
                .writeByte(45).writeZero(23).writeBytes("root\0".getBytes()).writeByte(20).writeBytes(new byte[5]);
        assertThatThrownBy(() -> new MySqlHandshakeResponse41Packet(new MySqlPacketPayload(b)))
                .isInstanceOf(MySqlProtocolException.class).hasMessage("length 20 exceeds the 5 bytes left");
        b.release();
    }

    @Test
    void nativePasswordProofMatchesTheMysqlFormula() {
        // SHA1("secret") XOR SHA1(scramble + SHA1(SHA1("secret"))), checked by the driver-independent NativePassword
        byte[] scramble = "01234567890123456789".getBytes();
        byte[] proof = NativePassword.proof("secret", scramble);
        assertThat(NativePassword.matches("secret", scramble, proof)).isTrue();
        assertThat(NativePassword.matches("Secret", scramble, proof)).isFalse();
        assertThat(List.of(proof.length)).containsExactly(20);
    }
}
