package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.http.CometQlHttpService;
import io.comet.cometql.protocol.AuthThrottle;
import io.comet.cometql.protocol.NativePassword;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 point 4: password guessing is throttled per source and per account, across
 * connections and across both doors, with a bounded table.
 */
class AuthThrottleTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSourceGetsItsBurstThenTenChecksASecondWhateverItsParallelism() {
        AtomicLong now = new AtomicLong(5 * SECOND);
        AuthThrottle t = new AuthThrottle(10, 10, 10 * SECOND, 20, 1000, now::get);
        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 200; i++) { // 200 attempts at the same instant (parallel connections)
            waits.add(t.acquire("10.0.0.1", "root"));
        }
        assertThat(waits.subList(0, 10)).containsOnly(0L);
        assertThat(waits.get(10)).isEqualTo(SECOND / 10);
        assertThat(waits.get(19)).isEqualTo(SECOND); // the 20th check: one second later
        // 10 free + 10/s up to the 10 s wait bound: the rest is refused unchecked
        assertThat(waits.stream().filter(w -> w >= 0).count()).isEqualTo(10 + 100);
        assertThat(waits.stream().filter(w -> w == AuthThrottle.REFUSED).count()).isEqualTo(90);
        // another source is not slowed at all
        assertThat(t.acquire("10.0.0.2", "root")).isZero();
    }

    @Test
    void successGivesTheTokenBackSoARightPasswordIsNeverSlowed() {
        AtomicLong now = new AtomicLong(SECOND);
        AuthThrottle t = new AuthThrottle(10, 10, 10 * SECOND, 20, 1000, now::get);
        for (int i = 0; i < 1000; i++) {
            assertThat(t.acquire("10.0.0.1", "root")).isZero();
            t.success("10.0.0.1", "root");
        }
    }

    @Test
    void guessesAtOneAccountFromManyFailingSourcesAreBoundedButACleanSourceIsNot() {
        AtomicLong now = new AtomicLong(SECOND);
        AuthThrottle t = new AuthThrottle(10, 10, 10 * SECOND, 20, 100_000, now::get);
        int checked = 0;
        for (int round = 0; round < 10; round++) { // 10 s of 1,000 failing addresses, 2 guesses each per second
            for (int a = 0; a < 1000; a++) {
                for (int k = 0; k < 2; k++) {
                    long w = t.acquire("10.1." + a / 250 + "." + a % 250, "root");
                    if (w >= 0 && w < SECOND) {
                        checked++;
                    }
                    t.failure("10.1." + a / 250 + "." + a % 250, "root");
                }
            }
            now.addAndGet(SECOND);
        }
        // the first guess of each address is free, the account bucket bounds the rest
        assertThat(checked).isLessThan(1000 + 20 + 20 * 11 + 60);
        assertThat(t.acquire("192.168.1.1", "root")).as("the right password from a clean source").isZero();
    }

    @Test
    void theTableStaysBoundedUnderAddressSprayingAndNewSourcesThenShareOneBucket() {
        AtomicLong now = new AtomicLong(SECOND);
        AuthThrottle t = new AuthThrottle(10, 10, 10 * SECOND, 20, 100, now::get);
        int free = 0;
        for (int i = 0; i < 100_000; i++) {
            String a = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
            if (t.acquire(a, "root") == 0) {
                free++;
            }
            t.failure(a, "root");
        }
        assertThat(t.size()).isLessThanOrEqualTo(2 * 100 + 2);
        assertThat(free).as("spraying buys no more than one table of sources plus one shared bucket")
                .isLessThanOrEqualTo(100 * 10 + 10 + 40);
        // IPv6 addresses of one /64 are one source
        AuthThrottle six = new AuthThrottle(10, 2, 0, 20, 100, now::get);
        assertThat(six.acquire("2001:db8::1", "root")).isZero();
        assertThat(six.acquire("2001:db8::ffff:2", "root")).isZero();
        assertThat(six.acquire("2001:db8:0:0:1234::3", "root")).isEqualTo(AuthThrottle.REFUSED);
        assertThat(six.acquire("2001:db8:0:1::1", "root")).isZero();
    }

    /**
     * Real sockets: 100 parallel connections from one address guess for about two seconds;
     * no more than the burst plus 10 a second are answered, while the right password from
     * another address logs in at once.
     */
    @Test
    void parallelConnectionsFromOneAddressGetTenChecksASecond() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0)
                .limits(CometQlLimits.builder().loginMaxWait(Duration.ofSeconds(30)).handshakeTimeout(Duration.ofSeconds(3))
                        .maxUnauthenticatedPerAddress(200).build()).build();
        try (TestServer ts = new TestServer(cfg)) {
            ExecutorService pool = Executors.newFixedThreadPool(100);
            AtomicInteger answered = new AtomicInteger();
            long start = System.nanoTime();
            List<Future<?>> attackers = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                attackers.add(pool.submit(() -> {
                    while (System.nanoTime() - start < 2 * SECOND) {
                        try (RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.1")) {
                            c.socket.setSoTimeout(0); // the handshake timeout ends a long wait
                            c.readHandshake();
                            c.send(1, RawMySqlClient.handshakeResponse(RawMySqlClient.CAPS, "root",
                                    NativePassword.proof("guess", c.scramble), null, "mysql_native_password"));
                            if (c.read().errCode() == 16 && System.nanoTime() - start < 2 * SECOND) {
                                answered.incrementAndGet();
                            }
                        } catch (java.io.IOException e) {
                            // closed by the handshake timeout while waiting for a token: try again
                        }
                    }
                    return null;
                }));
            }
            await("ts.server.guards().throttle().checks() >= 10").atMost(Duration.ofSeconds(5)).until(() -> ts.server.guards().throttle().checks() >= 10);
            long t0 = System.nanoTime();
            try (RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.2")) {
                assertThat(c.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
            }
            long rightTook = System.nanoTime() - t0;
            pool.shutdownNow();
            pool.awaitTermination(40, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.err.printf("%d wrong answers in 2 s from 100 parallel connections; right password from another "
                    + "address in %d ms%n", answered.get(), rightTook / 1_000_000);
            assertThat(answered.get()).isLessThanOrEqualTo(10 + 10 * 2 + 2);
            assertThat(rightTook).isLessThan(SECOND / 2); // the attackers' queue is seconds deep
            assertThat(seconds).isPositive();
        }
    }

    /** One throttle for both doors: guesses over POST /cometql use up the MySQL port's tokens of that address. */
    @Test
    void bothDoorsShareOneThrottle() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0)
                .limits(CometQlLimits.builder().loginMaxWait(Duration.ZERO).loginsPerSecond(1).build()).build(); // no refill meanwhile
        try (TestServer ts = new TestServer(cfg)) {
            CometQlHttpService http = new CometQlHttpService(ts.engine, cfg, ts.server.guards().throttle());
            String wrong = "Basic " + Base64.getEncoder().encodeToString("root:guess".getBytes(StandardCharsets.UTF_8));
            List<CompletableFuture<io.comet.cometql.http.HttpAnswer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                answers.add(http.execute("127.0.0.1", wrong, "SHOW TABLES"));
            }
            assertThat(answers.stream().filter(a -> a.join().status() == 401).count()).isEqualTo(10);
            assertThat(answers.stream().filter(a -> a.join().status() == 429).count()).isEqualTo(2);
            try (RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.1")) {
                RawMySqlClient.Packet p = c.login("root", TestServer.PASSWORD, null);
                assertThat(p.isErr()).as("the MySQL door of the same address has no token left").isTrue();
                assertThat(p.errMessage()).contains("too many attempts");
            }
            try (RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.2")) {
                assertThat(c.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
            }
        }
    }
}
