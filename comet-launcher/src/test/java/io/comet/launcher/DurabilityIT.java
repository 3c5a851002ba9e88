package io.comet.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import io.comet.test.client.WsFrame;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue [4] points 3 and 6 through the real server jar: a running load of private messages to
 * offline users (and history publishes) over several JDBC connections; the server is killed with
 * SIGKILL, or stopped with SIGTERM, mid-load and restarted on the same data. Every private message
 * whose INSERT was acknowledged is delivered on the user's next connection exactly once and in
 * order; auth hashes still authorize; {@code users_time} keeps the last-seen times from before.
 */
class DurabilityIT {

    private static final String PASSWORD = "durability-secret";
    private static final int WRITERS = 4;
    private static final int USERS = 24;
    private static final int PER_USER_CAP = 90; // below the 100-message queue limit
    private static final Pattern MARIADB_URL = Pattern.compile("(jdbc:(?:mysql|mariadb)://([^:/?]+)(?::(\\d+))?)(?:/([^?]*))?(\\?.*)?");

    @TempDir
    Path dir;

    @Test
    void sigkillUnderLoadOnH2LosesNoAcknowledgedMessage() throws Exception {
        Path ini = writeIni("""
                [main]
                data_dir = ./data
                """);
        Report r = crashAndRestart(ini, 1000, 600, false);
        System.out.println("H2 SIGKILL: " + r);
    }

    @Test
    void sigkillUnderLoadOnMariaDbLosesNoAcknowledgedMessage() throws Exception {
        String[] db = mariaDb("comet_test_launcher_crash_" + Integer.toHexString(Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize().toString().hashCode())); // per checkout
        Path ini = writeIni("[db]\nhost = " + db[0] + "\nport = " + db[1] + "\nname = " + db[2] + "\nuser = " + db[3]
                + "\npassword = " + db[4] + "\nconnection_attempts = 1\n");
        Report r = crashAndRestart(ini, 3000, 400, false);
        System.out.println("MariaDB SIGKILL: " + r);
    }

    @Test
    void sigtermUnderLoadDropsBrowsersWithoutCloseFrameAndLosesNoAcknowledgedMessage() throws Exception {
        Path ini = writeIni("""
                [main]
                data_dir = ./data
                shutdown_timeout = 10
                """);
        Report r = crashAndRestart(ini, 5000, 600, true);
        System.out.println("H2 SIGTERM: " + r);
    }

    private Path writeIni(String extra) throws Exception {
        Path ini = dir.resolve("comet.ini");
        Files.writeString(ini, "[main]\npassword = " + PASSWORD + "\n" + extra.replace("[main]\n", "")
                + "\n[ws]\nip = 127.0.0.1\nport = 0\n[cometql]\nip = 127.0.0.1\nport = 0\n");
        return ini;
    }

    record Report(int acked, int delivered, int inFlightDelivered, int historyAcked, int historyKept, long stopMillis) {
    }

    /** Per-user record of what the load sent. */
    static final class UserLog {
        final List<String> acked = new CopyOnWriteArrayList<>();
        volatile String inFlight;
    }

    private Report crashAndRestart(Path ini, long firstUser, int killAfter, boolean sigterm) throws Exception {
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < USERS; i++) {
            users.add(firstUser + i);
        }
        Map<Long, Long> seenBefore = new LinkedHashMap<>();
        Map<Long, UserLog> logs = new ConcurrentHashMap<>();
        List<String> historyAcked = new CopyOnWriteArrayList<>();
        long stopMillis;
        try (CometProcess first = CometProcess.start(dir, ini, "first")) {
            try (Connection c = first.jdbc(PASSWORD); Statement st = c.createStatement()) {
                for (long u : users) {
                    assertThat(st.executeUpdate("INSERT INTO users_auth (id, hash) VALUES (" + u + ", '" + hash(u) + "')"))
                            .isEqualTo(1);
                    logs.put(u, new UserLog());
                }
                st.executeUpdate("INSERT INTO pipes_settings (name, length) VALUES ('web_hist', 1000)");
            }
            // every user connects and disconnects: a last-seen time from before the crash
            for (long u : users) {
                try (CometWsClient ws = browser(first.webPort, u)) {
                    assertThat(ws.await("sys", "serverInfo")).containsEntry("authorized", true);
                }
            }
            try (Connection c = first.jdbc(PASSWORD); Statement st = c.createStatement()) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (seenBefore.size() < users.size()) {
                    for (long u : users) {
                        long t = usersTime(st, u);
                        if (t > 0) {
                            seenBefore.put(u, t);
                        }
                    }
                    if (System.nanoTime() > deadline) {
                        fail("users_time not set for every user after disconnect: " + seenBefore);
                    }
                    LockSupport.parkNanos(50_000_000);
                }
            }
            // browsers connected during the stop: they must see a TCP close, never a Close frame
            List<CometWsClient> watchers = new ArrayList<>();
            watchers.add(browser(first.webPort, 0));
            watchers.add(browser(first.webPort, 0));
            for (CometWsClient w : watchers) {
                w.await("sys", "serverInfo");
            }

            AtomicInteger acked = new AtomicInteger();
            List<Thread> writers = new ArrayList<>();
            List<Throwable> unexpected = new CopyOnWriteArrayList<>();
            for (int t = 0; t < WRITERS; t++) {
                int me = t;
                Thread w = new Thread(() -> {
                    try (Connection c = first.jdbc(PASSWORD); Statement st = c.createStatement()) {
                        int seq = 0;
                        while (true) {
                            boolean any = false;
                            for (int i = me; i < users.size(); i += WRITERS) {
                                long u = users.get(i);
                                UserLog l = logs.get(u);
                                if (l.acked.size() >= PER_USER_CAP) {
                                    continue;
                                }
                                any = true;
                                String m = "m-" + u + "-" + (seq++);
                                l.inFlight = m;
                                st.executeUpdate("INSERT INTO users_messages (id, event, message) VALUES (" + u
                                        + ", 'evt', '" + m + "')");
                                l.acked.add(m);
                                l.inFlight = null;
                                acked.incrementAndGet();
                                if (seq % 5 == 0) {
                                    String h = "h-" + me + "-" + seq;
                                    st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_hist', 'h', '"
                                            + h + "')");
                                    historyAcked.add(h);
                                }
                            }
                            if (!any) {
                                return;
                            }
                        }
                    } catch (SQLException e) {
                        // the server went away: the statement in flight is not acknowledged
                    } catch (Throwable e) {
                        unexpected.add(e);
                    }
                }, "load-" + t);
                w.start();
                writers.add(w);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.get() < killAfter) {
                assertThat(System.nanoTime()).as("load reached " + killAfter + " acknowledged messages").isLessThan(deadline);
                LockSupport.parkNanos(5_000_000);
            }
            long t0 = System.nanoTime();
            if (sigterm) {
                first.process.destroy();
                assertThat(first.process.waitFor(20, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
                assertThat(first.process.exitValue()).isIn(0, 143);
                assertThat(first.log()).contains("Comet stopped").doesNotContain("shutdown deadline");
            } else {
                first.kill9();
            }
            stopMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            for (Thread w : writers) {
                w.join(30_000);
                assertThat(w.isAlive()).as("writer ended").isFalse();
            }
            assertThat(unexpected).isEmpty();
            for (CometWsClient w : watchers) {
                w.awaitEof(Duration.ofSeconds(10)); // the browser connection dropped
                if (sigterm) {
                    assertThat(w.count(WsFrame.CLOSE)).as("no WebSocket Close frame (opcode 8): clients reconnect").isZero();
                }
                w.close();
            }
        }

        int total = logs.values().stream().mapToInt(l -> l.acked.size()).sum();
        int delivered = 0;
        int inFlightDelivered = 0;
        int historyKept;
        try (CometProcess second = CometProcess.start(dir, ini, "second");
             Connection c = second.jdbc(PASSWORD); Statement st = c.createStatement()) {
            for (long u : users) {
                assertThat(usersTime(st, u)).as("users_time of " + u + " from before the restart").isEqualTo(seenBefore.get(u));
            }
            for (long u : users) {
                UserLog l = logs.get(u);
                try (CometWsClient ws = browser(second.webPort, u)) {
                    assertThat(ws.await("sys", "serverInfo")).as("auth hash of " + u + " still authorizes")
                            .containsEntry("authorized", true);
                    String marker = "marker-" + u;
                    st.executeUpdate("INSERT INTO users_messages (id, event, message) VALUES (" + u + ", 'evt', '" + marker + "')");
                    ws.await(m -> "msg".equals(m.get("pipe")) && marker.equals(m.get("data")), Duration.ofSeconds(15));
                    List<String> got = new ArrayList<>();
                    for (Map<String, Object> m : ws.messages()) {
                        if (!"msg".equals(m.get("pipe"))) {
                            continue;
                        }
                        if (marker.equals(m.get("data"))) {
                            break;
                        }
                        assertThat(m).containsEntry("fromQueue", true);
                        got.add((String) m.get("data"));
                    }
                    List<String> expected = new ArrayList<>(l.acked);
                    if (l.inFlight != null && got.size() == expected.size() + 1) {
                        expected.add(l.inFlight); // committed, but the answer was lost in the crash
                        inFlightDelivered++;
                    }
                    assertThat(got).as("user " + u + ": every acknowledged message once, in order").isEqualTo(expected);
                    delivered += got.size();
                }
            }
            List<String> history = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(
                    "SELECT message, offset FROM pipes_messages WHERE name = 'web_hist' AND offset > 0")) {
                while (rs.next()) {
                    history.add(rs.getString(1));
                    offsets.add(rs.getLong(2));
                }
            }
            historyKept = history.size();
            assertThat(history).as("history survives the restart").isNotEmpty();
            assertThat(history).as("every acknowledged history INSERT is in the history ([7] point 5)")
                    .containsAll(historyAcked);
            for (int i = 0; i < offsets.size(); i++) {
                assertThat(offsets.get(i)).as("offsets 1, 2, 3 … without a hole").isEqualTo(i + 1L);
            }
            for (String h : history) {
                assertThat(h).startsWith("h-");
            }
            assertThat(history).doesNotHaveDuplicates();
        }
        assertThat(total).isGreaterThanOrEqualTo(killAfter);
        return new Report(total, delivered, inFlightDelivered, historyAcked.size(), historyKept, stopMillis);
    }

    /** A v4 browser of user {@code u} (anonymous for 0) with its hash. */
    private static CometWsClient browser(int port, long u) throws java.io.IOException {
        String uuid = ("u" + u + "abcdefghijklmnopqrstuvwxyz0123456789").substring(0, 32);
        return CometWsClient.open(port, ClientPaths.v4(u, u == 0 ? "" : hash(u), uuid));
    }

    private static String hash(long u) {
        return "hash" + u + "+/=";
    }

    private static long usersTime(Statement st, long u) throws SQLException {
        try (ResultSet rs = st.executeQuery("SELECT id, time FROM users_time WHERE id = " + u)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong("time");
        }
    }

    /** {host, port, database, user, password} of a fresh database on the test MariaDB; fails under CI when unreachable. */
    private static String[] mariaDb(String database) {
        String base = System.getenv().getOrDefault("COMET_TEST_MARIADB_URL", "jdbc:mysql://127.0.0.1:3306/comet_test");
        String user = System.getenv().getOrDefault("COMET_TEST_MARIADB_USER", "comet");
        String password = System.getenv().getOrDefault("COMET_TEST_MARIADB_PASSWORD", "comet");
        Matcher m = MARIADB_URL.matcher(base);
        assertThat(m.matches()).as("COMET_TEST_MARIADB_URL " + base).isTrue();
        String host = m.group(2);
        String port = m.group(3) == null ? "3306" : m.group(3);
        String db = m.group(4) == null || m.group(4).isEmpty() ? "comet_test" : m.group(4);
        try (Connection c = DriverManager.getConnection("jdbc:mysql://" + host + ":" + port + "/" + db
                + "?allowPublicKeyRetrieval=true&useSSL=false", user, password); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
            s.execute("CREATE DATABASE " + database + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        } catch (SQLException e) {
            String why = "MariaDB is not reachable at " + base + " as " + user + " (" + e.getMessage()
                    + "); start it with .ci/start-mariadb.sh";
            if (System.getenv("CI") != null) {
                fail(why + " — CI is set, so this is a failure");
            }
            Assumptions.abort(why + " — skipped because CI is not set");
        }
        return new String[] {host, port, database, user, password};
    }
}
