package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.core.store.Store;
import io.comet.core.store.jdbc.TcpProxy;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue [4] point 4 at the CometQL level, and the CometQL part of point 6: the store is an H2
 * TCP server behind a {@link TcpProxy} configured through comet.ini ({@code [db] url},
 * {@code [db] operation_timeout}). With the database stalled, a CometQL {@code INSERT INTO
 * users_auth} fails with ERR 500 after the timeout while WebSocket delivery of publishes keeps
 * working; when the database returns, writes succeed again. A graceful close lets an in-flight
 * CometQL command finish and answer before the connection is closed.
 */
class CometQlOutageTest {

    private static final String PASSWORD = "outage-secret";
    private static final int TIMEOUT_SECONDS = 3;

    @TempDir
    Path dir;

    private Server h2;
    private TcpProxy proxy;
    private CometServerLauncher comet;

    @BeforeEach
    void database() throws Exception {
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", dir.toString()).start();
        proxy = new TcpProxy("127.0.0.1", h2.getPort());
    }

    @AfterEach
    void stop() throws Exception {
        if (comet != null) {
            comet.close();
        }
        proxy.close();
        h2.stop();
    }

    private LauncherConfig config() {
        IniFile ini = IniFile.parse("comet.ini", "[main]\npassword = " + PASSWORD + "\n"
                + "[ws]\nip = 127.0.0.1\nport = 0\n[cometql]\nip = 127.0.0.1\nport = 0\n"
                + "[db]\nurl = jdbc:h2:tcp://127.0.0.1:" + proxy.port() + "/comet\nconnection_attempts = 1\n"
                + "operation_timeout = " + TIMEOUT_SECONDS + "\nquery_timeout = 1\n");
        LauncherConfig c = LauncherConfig.fromIni(ini, Map.of());
        assertThat(c.store().operationTimeout()).isEqualTo(Duration.ofSeconds(TIMEOUT_SECONDS));
        return c;
    }

    private Connection jdbc() throws SQLException {
        return DriverManager.getConnection("jdbc:mysql://127.0.0.1:" + comet.cometqlPort() + "/CometQL_v1", "root", PASSWORD);
    }

    @Test
    void stalledDatabaseFailsDurableWritesWithErr500WhilePublishesKeepFlowingAndWritesRecover() throws Exception {
        comet = CometServerLauncher.start(config());
        CometWsClient browser = CometWsClient.open(comet.webPort(), ClientPaths.v4(0, "", "outage0123456789abcdefghijklmnop"));
        browser.await("sys", "serverInfo");
        browser.subscribe("web_live");
        try (Connection writes = jdbc(); Connection publishes = jdbc();
             Statement w = writes.createStatement(); Statement p = publishes.createStatement()) {
            awaitSubscribers(p, "web_live");
            assertThat(w.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (1, 'before')")).isEqualTo(1);

            proxy.stall();
            long t0 = System.nanoTime();
            CompletableFuture<SQLException> stalledWrite = CompletableFuture.supplyAsync(() -> {
                try {
                    w.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (2, 'during')");
                    return null;
                } catch (SQLException e) {
                    return e;
                }
            });
            for (int i = 0; i < 20; i++) {
                assertThat(p.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_live', 'e', 'live "
                        + i + "')")).isZero();
            }
            for (int i = 0; i < 20; i++) {
                assertThat(browser.awaitLine("\"live " + i + "\"")).contains("\"data\":\"live " + i + "\"");
            }
            assertThat(stalledWrite).as("all 20 publishes were delivered while the durable write still waits").isNotDone();

            SQLException err = stalledWrite.get(TIMEOUT_SECONDS + 10, TimeUnit.SECONDS);
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat((Object) err).as("the INSERT INTO users_auth failed").isNotNull();
            assertThat(err.getErrorCode()).isEqualTo(500);
            assertThat(err.getMessage()).contains("timed out").contains("slow or unreachable");
            assertThat(ms).as("failed after [db] operation_timeout, not before and not much later")
                    .isBetween(TIMEOUT_SECONDS * 1000L - 100, TIMEOUT_SECONDS * 1000L + 8000);
            System.out.println("stalled INSERT INTO users_auth answered ERR " + err.getErrorCode() + " after " + ms
                    + " ms: " + err.getMessage());

            proxy.restore();
            long restored = System.nanoTime();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (true) {
                try {
                    assertThat(w.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (3, 'after')")).isEqualTo(1);
                    break;
                } catch (SQLException e) {
                    assertThat(System.nanoTime()).as("writes work again after the database returned: " + e).isLessThan(deadline);
                }
            }
            System.out.println("writes recovered " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restored)
                    + " ms after the database returned");
        }
        try (CometWsClient three = CometWsClient.open(comet.webPort(), ClientPaths.v4(3, "after", "outage3123456789abcdefghijklmnop"))) {
            assertThat(three.await("sys", "serverInfo")).containsEntry("authorized", true);
        }
        browser.close();
    }

    @Test
    void gracefulCloseLetsAnInFlightCometQlCommandFinishAndAnswer() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<Void> release = new CompletableFuture<>();
        comet = CometServerLauncher.start(config(), store -> holdingPutAuthHash(store, entered, release));
        int qlPort = comet.cometqlPort();
        try (Connection c = jdbc(); Statement st = c.createStatement()) {
            CompletableFuture<Integer> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (9, 'inflight')");
                } catch (SQLException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(entered.await(10, TimeUnit.SECONDS)).as("the INSERT reached the store: " + inFlight).isTrue();
            CompletableFuture<Void> closing = CompletableFuture.runAsync(comet::close);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (accepts(qlPort)) {
                assertThat(System.nanoTime()).as("CometQL stops accepting first").isLessThan(deadline);
                LockSupport.parkNanos(10_000_000);
            }
            assertThat(closing).as("close waits for the command in flight").isNotDone();
            assertThat(inFlight).isNotDone();
            release.complete(null);
            assertThat(inFlight.get(10, TimeUnit.SECONDS)).as("answered OK before the connection closed").isEqualTo(1);
            closing.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (10, 'late')"))
                    .as("no new command after the drain").isInstanceOf(SQLException.class);
        }
        comet = null;
        try (Connection direct = DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/comet");
             Statement st = direct.createStatement();
             ResultSet rs = st.executeQuery("SELECT hash FROM comet_users_auth WHERE user_id = 9")) {
            assertThat(rs.next()).as("the acknowledged write is in the database").isTrue();
            assertThat(rs.getString(1)).isEqualTo("inflight");
        }
    }

    /** The store, with putAuthHash held back until {@code release} completes (after signalling {@code entered}). */
    private static Store holdingPutAuthHash(Store store, CountDownLatch entered, CompletableFuture<Void> release) {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, (p, m, args) -> {
            try {
                if (m.getName().equals("putAuthHash")) {
                    entered.countDown();
                    return release.thenCompose(v -> {
                        try {
                            return (CompletableFuture<?>) m.invoke(store, args);
                        } catch (ReflectiveOperationException e) {
                            return CompletableFuture.failedFuture(e);
                        }
                    });
                }
                return m.invoke(store, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static void awaitSubscribers(Statement st, String pipe) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (ResultSet rs = st.executeQuery("SELECT users FROM pipes WHERE name = '" + pipe + "'")) {
                if (rs.next() && rs.getInt(1) >= 1) {
                    return;
                }
            }
            assertThat(System.nanoTime()).as(pipe + " subscribed").isLessThan(deadline);
            LockSupport.parkNanos(20_000_000);
        }
    }
}
