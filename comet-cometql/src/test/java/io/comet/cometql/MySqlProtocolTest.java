package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.RawMySqlClient.Packet;
import io.comet.cometql.protocol.MySqlConstants;
import io.comet.cometql.protocol.NativePassword;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance 1, 2 and 7 (part) on real sockets with a raw client: handshake contents, login
 * with and without the auth switch, namespaces and databases, every COM_* of cometql.md §1.6,
 * pipelining, size limits, UTF-8 and multi-statements.
 */
class MySqlProtocolTest {

    static TestServer ts;

    @BeforeAll
    static void start() {
        ts = new TestServer();
    }

    @AfterAll
    static void stop() {
        ts.close();
    }

    @Test
    void handshakeAdvertisesOnlyImplementedCapabilitiesAndAnAsciiScramble() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            Packet h = c.readHandshake();
            assertThat(h.seq()).isZero();
            assertThat(h.payload()[0]).isEqualTo((byte) 0x0A);
            assertThat(new String(h.payload(), 1, 18, StandardCharsets.US_ASCII)).isEqualTo("5.7.99-CometQL-0.1");
            for (byte b : c.scramble) {
                assertThat(b).isBetween((byte) 0x01, (byte) 0x7F);
            }
            assertThat(c.serverCaps & MySqlConstants.CLIENT_SSL).isZero();
            assertThat(c.serverCaps & MySqlConstants.CLIENT_COMPRESS).isZero();
            assertThat(c.serverCaps & MySqlConstants.CLIENT_LOCAL_FILES).isZero();
            assertThat(c.serverCaps & MySqlConstants.CLIENT_DEPRECATE_EOF).isZero();
            assertThat(c.serverCaps & MySqlConstants.CLIENT_PROTOCOL_41).isNotZero();
            assertThat(c.serverCaps & MySqlConstants.CLIENT_PLUGIN_AUTH).isNotZero();
            assertThat(new String(h.payload(), StandardCharsets.US_ASCII)).endsWith("mysql_native_password\0");
        }
    }

    @Test
    void nativePasswordLoginThenOkWithSequenceTwo() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            Packet ok = c.login("root", TestServer.PASSWORD, "CometQL_v1");
            assertThat(ok.isOk()).isTrue();
            assertThat(ok.seq()).isEqualTo(2);
            assertThat(ok.payload()).containsExactly(0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00);
        }
    }

    @Test
    void wrongPasswordGetsErr16AndTheConnectionIsClosed() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            Packet err = c.login("root", "wrong", null);
            assertThat(err.isErr()).isTrue();
            assertThat(err.errCode()).isEqualTo(16);
            assertThat(err.errMessage()).isEqualTo("Authentication failure");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void emptyPasswordIsRefusedWithTheOriginalsText() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            Packet err = c.login("root", "", null);
            assertThat(err.errCode()).isEqualTo(16);
            assertThat(err.errMessage()).isEqualTo("Authentication failure, authDataLen!=20");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void cachingSha2ClientGetsAnAuthSwitchRequestAndLogsIn() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            c.readHandshake();
            byte[] sha2Scramble = new byte[32];
            c.send(1, RawMySqlClient.handshakeResponse(RawMySqlClient.CAPS, "root", sha2Scramble, null,
                    "caching_sha2_password"));
            Packet sw = c.read();
            assertThat(sw.seq()).isEqualTo(2);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.write(0xFE);
            expected.writeBytes("mysql_native_password\0".getBytes(StandardCharsets.US_ASCII));
            expected.writeBytes(c.scramble);
            expected.write(0);
            assertThat(sw.payload()).isEqualTo(expected.toByteArray());
            c.send(3, NativePassword.proof(TestServer.PASSWORD, c.scramble));
            Packet ok = c.read();
            assertThat(ok.isOk()).isTrue();
            assertThat(ok.seq()).isEqualTo(4);
        }
    }

    @Test
    void sslRequestIsRefusedAndClosed() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            c.readHandshake();
            byte[] ssl = RawMySqlClient.handshakeResponse(RawMySqlClient.CAPS | MySqlConstants.CLIENT_SSL, "", new byte[0],
                    null, null);
            c.send(1, java.util.Arrays.copyOf(ssl, 32));
            Packet err = c.read();
            assertThat(err.errCode()).isEqualTo(16);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void userNameSelectsTheNamespaceAndUnknownNamesAreRefused() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            assertThat(c.login("7", TestServer.PASSWORD, null).isOk()).isTrue();
            assertThat(RawMySqlClient.rows(c.query("SHOW STATUS"))).contains(List.of("id", "7"));
        }
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            Packet err = c.login("foo", TestServer.PASSWORD, null);
            assertThat(err.errCode()).isEqualTo(16);
        }
        try (TestServer lenient = new TestServer(CometQlConfig.builder().ip("127.0.0.1").port(0)
                .mapUnknownUsersToNamespaceZero(true).build());
             RawMySqlClient c = new RawMySqlClient(lenient.port())) {
            assertThat(c.login("foo", TestServer.PASSWORD, null).isOk()).isTrue();
            assertThat(RawMySqlClient.rows(c.query("SHOW STATUS"))).contains(List.of("id", "0"));
        }
    }

    @Test
    void databaseSelection() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            Packet err = c.login("root", TestServer.PASSWORD, "wrongdb");
            assertThat(err.errCode()).isEqualTo(15);
            assertThat(err.errMessage()).isEqualTo("Select database failure");
            assertThat(c.closedByServer()).isTrue();
        }
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            assertThat(c.login("root", TestServer.PASSWORD, "db_7").isOk()).isTrue();
            assertThat(RawMySqlClient.rows(c.query("SHOW STATUS"))).contains(List.of("id", "7"));
            c.send(0, RawMySqlClient.command(0x02, "wrongdb"));
            assertThat(c.read().errCode()).isEqualTo(15);
            c.send(0, RawMySqlClient.command(0x02, "db_5"));
            assertThat(c.read().isOk()).isTrue();
            assertThat(RawMySqlClient.rows(c.query("SELECT DATABASE()"))).containsExactly(List.of("db_5"));
            assertThat(RawMySqlClient.rows(c.query("SHOW STATUS"))).contains(List.of("id", "5"));
        }
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            assertThat(c.login("root", TestServer.PASSWORD, null).isOk()).isTrue();
            assertThat(RawMySqlClient.rows(c.query("SELECT DATABASE()"))).containsExactly(List.of(""));
        }
    }

    @Test
    void everyCommandOfSection16() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            c.login("root", TestServer.PASSWORD, null);
            c.send(0, new byte[] {0x0E});
            Packet ping = c.read();
            assertThat(ping.isOk()).isTrue();
            assertThat(ping.seq()).isEqualTo(1);
            c.send(0, RawMySqlClient.command(0x04, "users_auth\0"));
            assertThat(c.read().payload()).containsExactly(0xFE, 0x00, 0x00, 0x02, 0x00);
            c.send(0, new byte[] {0x1B, 0x00, 0x00});
            assertThat(c.read().isEof()).isTrue();
            c.send(0, new byte[] {0x1F});
            assertThat(c.read().isOk()).isTrue();
            c.send(0, new byte[] {0x09});
            assertThat(new String(c.read().payload(), StandardCharsets.US_ASCII)).startsWith("Uptime: ");
            c.send(0, RawMySqlClient.command(0x16, "SELECT 1"));
            Packet stmt = c.read();
            assertThat(stmt.errCode()).isEqualTo(2);
            assertThat(stmt.errMessage()).isEqualTo("Prepared statements are not implemented");
            c.send(0, new byte[] {0x19, 1, 0, 0, 0});
            c.send(0, new byte[] {0x11, 'r', 'o', 'o', 't', 0});
            assertThat(c.read().errCode()).isEqualTo(2);
            for (int cmd : new int[] {0x00, 0x05, 0x08, 0x0A, 0x1D, 0x55, 0xFF}) {
                c.send(0, new byte[] {(byte) cmd});
                Packet p = c.read();
                assertThat(p.isErr()).as("command 0x%02x", cmd).isTrue();
                assertThat(p.errMessage()).isEqualTo("Unknown command");
            }
            c.send(0, new byte[0]);
            assertThat(c.read().isErr()).isTrue();
            c.send(0, new byte[] {0x0E});
            assertThat(c.read().isOk()).isTrue();
            c.send(0, new byte[] {0x01});
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void severalPacketsInOneWriteAreAnsweredInOrderOneAtATime() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            c.login("root", TestServer.PASSWORD, null);
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(RawMySqlClient.frame(0, RawMySqlClient.command(0x03, "SELECT @@version_comment LIMIT 1")));
            b.writeBytes(RawMySqlClient.frame(0, RawMySqlClient.command(0x03, "SHOW DATABASES")));
            b.writeBytes(RawMySqlClient.frame(0, new byte[] {0x0E}));
            c.out.write(b.toByteArray());
            c.out.flush();
            List<Packet> first = c.readResponse();
            assertThat(first.get(0).seq()).isEqualTo(1);
            assertThat(RawMySqlClient.rows(first)).containsExactly(List.of(ts.engine.config().serverName()));
            List<Packet> second = c.readResponse();
            assertThat(second.get(0).seq()).isEqualTo(1);
            assertThat(RawMySqlClient.rows(second)).containsExactly(List.of("CometQL_v1"));
            assertThat(c.read().isOk()).isTrue();
        }
    }

    @Test
    void queryLimitsUtf8AndMultiStatements() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            c.login(RawMySqlClient.CAPS | MySqlConstants.CLIENT_MULTI_STATEMENTS, "root", TestServer.PASSWORD, null);
            Packet tooShort = c.query("SE;").get(0);
            assertThat(tooShort.errCode()).isEqualTo(17);
            assertThat(tooShort.errMessage()).isEqualTo("Data is too short");
            Packet tooLong = c.query("SELECT * FROM pipes WHERE name = '" + "a".repeat(9000) + "'").get(0);
            assertThat(tooLong.errCode()).isEqualTo(11);
            assertThat(tooLong.errMessage()).isEqualTo("Data is too long");
            // far beyond the packet buffer limit: skipped while streaming in, still ERR 11
            Packet huge = c.query("SELECT '" + "b".repeat(200_000) + "'").get(0);
            assertThat(huge.errCode()).isEqualTo(11);
            c.send(0, new byte[] {0x03, 'S', 'E', 'T', ' ', 'a', '=', '\'', (byte) 0xC3, (byte) 0x28, '\''});
            Packet badUtf8 = c.read();
            assertThat(badUtf8.errCode()).isEqualTo(12);
            List<Packet> multi = c.query("SHOW DATABASES; SET NAMES utf8");
            Packet eof = multi.get(multi.size() - 1);
            assertThat(eof.isEof()).isTrue();
            assertThat(eof.payload()[3] & MySqlConstants.STATUS_MORE_RESULTS).isNotZero();
            Packet ok = c.read();
            assertThat(ok.isOk()).isTrue();
            assertThat(ok.payload()[3] & MySqlConstants.STATUS_MORE_RESULTS).isZero();
            assertThat(c.query("SELECT 1").get(0).isErr()).isFalse();
        }
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            c.login("root", TestServer.PASSWORD, null);
            Packet err = c.query("SHOW DATABASES; SHOW TABLES").get(0);
            assertThat(err.errCode()).isEqualTo(3);
            assertThat(c.query("SHOW DATABASES;").get(0).isErr()).isFalse();
        }
    }

    @Test
    void haproxyCheckWithoutPasswordCanOnlyPing() throws Exception {
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            assertThat(c.login("haproxy_check_x", "", null).isOk()).isTrue();
            Packet denied = c.query("SHOW STATUS").get(0);
            assertThat(denied.errCode()).isEqualTo(403);
            assertThat(denied.errMessage()).isEqualTo("Access denied");
            c.send(0, new byte[] {0x0E});
            assertThat(c.read().isOk()).isTrue();
        }
    }

    @Test
    void backendConnectionsAreCountedInShowStatus() throws Exception {
        int before = ts.engine.stats().backendOnline();
        try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
            c.login("root", TestServer.PASSWORD, null);
            assertThat(ts.engine.stats().backendOnline()).isEqualTo(before + 1);
        }
        await("ts.engine.stats().backendOnline() == before").atMost(Duration.ofSeconds(5)).until(() -> ts.engine.stats().backendOnline() == before);
    }
}
