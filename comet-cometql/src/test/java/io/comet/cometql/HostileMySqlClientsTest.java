package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 points 2 and 3 on the MySQL port: a login must finish within the handshake timeout
 * (a connection that sends nothing, or half a packet, is closed); connections beyond the limits
 * (in all, per address, not yet logged in) get ERR 1040 instead of the handshake, and are counted
 * in {@code SHOW GLOBAL STATUS}.
 */
class HostileMySqlClientsTest {

    @Test
    void silentAndHalfSentLoginsAreClosedByTheHandshakeTimeout() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0)
                .limits(CometQlLimits.builder().handshakeTimeout(Duration.ofMillis(800)).build()).build();
        try (TestServer ts = new TestServer(cfg)) {
            List<RawMySqlClient> silent = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                RawMySqlClient c = new RawMySqlClient(ts.port());
                c.readHandshake();
                if (i % 2 == 1) {
                    c.out.write(new byte[] {(byte) 200, 0, 0, 1, 1, 2, 3}); // 7 bytes of a 200-byte packet
                    c.out.flush();
                }
                silent.add(c);
            }
            long t0 = System.nanoTime();
            for (RawMySqlClient c : silent) {
                assertThat(c.closedByServer()).isTrue();
                c.close();
            }
            assertThat(System.nanoTime() - t0).isLessThan(Duration.ofSeconds(5).toNanos()); // socket timeout: 10 s
            await("ts.server.guards().unauthenticated().open() == 0").atMost(Duration.ofSeconds(5)).until(() -> ts.server.guards().unauthenticated().open() == 0);
            try (RawMySqlClient ok = new RawMySqlClient(ts.port())) {
                assertThat(ok.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
                assertThat(ts.server.guards().unauthenticated().open()).isZero();
            }
        }
    }

    @Test
    void anIncompletePacketAfterLoginIsClosedByThePacketTimeout() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0)
                .limits(CometQlLimits.builder().packetTimeout(Duration.ofMillis(500)).build()).build();
        try (TestServer ts = new TestServer(cfg); RawMySqlClient c = new RawMySqlClient(ts.port())) {
            assertThat(c.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
            assertThat(c.query("SHOW TABLES")).isNotEmpty(); // idle between commands is fine
            c.out.write(new byte[] {100, 0, 0, 0, 3, 'S'}); // a 100-byte COM_QUERY, 2 bytes of it
            c.out.flush();
            assertThat(c.closedByServer()).isTrue();
        }
    }

    /** The partial packet arrives in the same write as a whole one: the whole one is answered, the rest is still bounded. */
    @Test
    void anIncompletePacketBehindAWholeOneIsClosedByThePacketTimeout() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0)
                .limits(CometQlLimits.builder().packetTimeout(Duration.ofMillis(500)).build()).build();
        try (TestServer ts = new TestServer(cfg); RawMySqlClient c = new RawMySqlClient(ts.port())) {
            assertThat(c.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
            byte[] whole = RawMySqlClient.frame(0, RawMySqlClient.command(3, "SHOW TABLES"));
            byte[] both = java.util.Arrays.copyOf(whole, whole.length + 6);
            System.arraycopy(new byte[] {100, 0, 0, 0, 3, 'S'}, 0, both, whole.length, 6); // 2 bytes of a 100-byte COM_QUERY
            c.out.write(both);
            c.out.flush();
            assertThat(RawMySqlClient.rows(c.readResponse())).isNotEmpty(); // the whole one is answered
            assertThat(c.closedByServer()).isTrue(); // the partial one is not left without a deadline
        }
    }

    @Test
    void connectionsBeyondTheLimitsGetErr1040AndAreCounted() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0).limits(CometQlLimits.builder()
                .maxUnauthenticatedPerAddress(3).maxUnauthenticated(5).maxConnectionsPerAddress(6).maxConnections(8)
                .build()).build();
        try (TestServer ts = new TestServer(cfg)) {
            List<RawMySqlClient> open = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.1");
                    c.readHandshake();
                    open.add(c);
                }
                assertThat(refusal("127.0.0.1", ts.port())).isEqualTo(1040); // 4th unauthenticated from one address
                for (int i = 0; i < 2; i++) {
                    RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.2");
                    c.readHandshake();
                    open.add(c);
                }
                assertThat(refusal("127.0.0.3", ts.port())).isEqualTo(1040); // 6th unauthenticated in all
                // logged-in connections no longer count as unauthenticated: up to 6 per address, 8 in all
                for (RawMySqlClient c : open) {
                    c.close();
                }
                open.clear();
                await("ts.server.guards().connections().open() == 0").atMost(Duration.ofSeconds(5)).until(() -> ts.server.guards().connections().open() == 0);
                for (int i = 0; i < 6; i++) {
                    RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.1");
                    assertThat(c.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
                    open.add(c);
                }
                assertThat(refusal("127.0.0.1", ts.port())).isEqualTo(1040); // maxConnectionsPerAddress
                for (int i = 0; i < 2; i++) {
                    RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.2");
                    assertThat(c.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
                    open.add(c);
                }
                assertThat(refusal("127.0.0.4", ts.port())).isEqualTo(1040); // maxConnections
                List<List<String>> status = RawMySqlClient.rows(open.get(0).query("SHOW GLOBAL STATUS"));
                assertThat(status).contains(List.of("backend_refused_connections", "4"), List.of("backend_connections", "8"));
            } finally {
                for (RawMySqlClient c : open) {
                    c.close();
                }
            }
        }
    }

    /** The first packet of a refused connection: the error code of ERR 1040, read off the raw bytes. */
    private static int refusal(String from, int port) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(5000);
            byte[] all = s.getInputStream().readAllBytes(); // then closed
            assertThat(all[4] & 0xFF).as("ERR packet").isEqualTo(0xFF);
            return (all[5] & 0xFF) | (all[6] & 0xFF) << 8;
        }
    }
}
