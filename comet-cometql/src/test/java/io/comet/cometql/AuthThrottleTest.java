package io.comet.cometql;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.cometql.protocol.AuthThrottle;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Acceptance 1: repeated login failures from one address are slowed down. */
class AuthThrottleTest {

    @Test
    void delaysDoubleAfterTheFreeFailuresPerAddressAndReset() {
        AtomicLong now = new AtomicLong(1_000);
        AuthThrottle t = new AuthThrottle(3, 100, 1000, 60_000, now::get);
        assertThat(t.failure("a")).isZero();
        assertThat(t.failure("a")).isZero();
        assertThat(t.failure("a")).isZero();
        assertThat(t.failure("a")).isEqualTo(100);
        assertThat(t.failure("a")).isEqualTo(200);
        assertThat(t.failure("a")).isEqualTo(400);
        assertThat(t.failure("a")).isEqualTo(800);
        assertThat(t.failure("a")).isEqualTo(1000);
        assertThat(t.failure("b")).as("other address").isZero();
        now.addAndGet(60_001);
        assertThat(t.failure("a")).as("forgotten after the window").isZero();
        t.failure("a");
        t.failure("a");
        assertThat(t.failure("a")).isEqualTo(100);
        t.success("a");
        assertThat(t.failure("a")).as("reset by a successful login").isZero();
    }

    @Test
    void repeatedWrongPasswordsFromOneAddressAreAnsweredLaterOnTheWire() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0).authFailuresBeforeDelay(2)
                .authFailureDelayMillis(800).authFailureMaxDelayMillis(4000).build();
        try (TestServer ts = new TestServer(cfg)) {
            long[] took = new long[4];
            for (int i = 0; i < took.length; i++) {
                try (RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.1")) {
                    c.readHandshake();
                    long start = System.nanoTime();
                    c.send(1, RawMySqlClient.handshakeResponse(RawMySqlClient.CAPS, "root",
                            io.comet.cometql.protocol.NativePassword.proof("wrong", c.scramble), null,
                            "mysql_native_password"));
                    assertThat(c.read().errCode()).isEqualTo(16);
                    took[i] = (System.nanoTime() - start) / 1_000_000;
                }
            }
            assertThat(took[0]).isLessThan(600);
            assertThat(took[1]).isLessThan(600);
            assertThat(took[2]).isGreaterThanOrEqualTo(790);
            assertThat(took[3]).isGreaterThanOrEqualTo(1590);
            // another address is not slowed down, and the right password still works from it
            try (RawMySqlClient c = new RawMySqlClient(ts.port(), "127.0.0.2")) {
                long start = System.nanoTime();
                assertThat(c.login("root", "wrong", null).errCode()).isEqualTo(16);
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(600);
            }
        }
    }
}
