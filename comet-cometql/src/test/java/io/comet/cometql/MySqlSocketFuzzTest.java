package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.FuzzInputs;
import io.comet.cometql.protocol.NativePassword;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 point 7, the CI sample on the MySQL port (comet-bench's {@code fuzz} scenario runs up
 * to a million): mutated handshake responses, and after proper logins random COM_* packets,
 * mutated queries and lying lengths, over real sockets. Afterwards a client still logs in and
 * queries, no buffer leaked (paranoid detection, {@link io.comet.test.client.LeakDetectionExtension}) and the live
 * heap is back near its start.
 */
class MySqlSocketFuzzTest {

    private static final int INPUTS = 2000;
    private static final String[] QUERIES = {"SHOW TABLES", "SELECT * FROM pipes WHERE name = 'web_fuzz'",
        "INSERT INTO pipes_messages (name, event, message) VALUES ('web_fuzz', 'e', 'm')", "SHOW GLOBAL STATUS",
        "SELECT * FROM users_time WHERE id IN (1,2,3)", "SET NAMES utf8mb4"};

    @Test
    void randomPacketsLeaveTheServerServingWithoutLeaks() throws Exception {
        CometQlConfig cfg = CometQlConfig.builder().ip("127.0.0.1").port(0).limits(CometQlLimits.builder()
                .loginsPerSecond(100_000).loginBurst(100_000).accountLoginsPerSecond(100_000).packetTimeout(Duration.ofSeconds(1)).handshakeTimeout(Duration.ofSeconds(1)).build()).build();
        try (TestServer ts = new TestServer(cfg)) {
            long heap0 = liveHeap();
            SplittableRandom rnd = new SplittableRandom(13);
            int done = 0;
            while (done < INPUTS) {
                try (RawMySqlClient c = new RawMySqlClient(ts.port())) {
                    if (rnd.nextInt(4) == 0) { // a mutated handshake response
                        c.readHandshake();
                        byte[] r = RawMySqlClient.handshakeResponse(RawMySqlClient.CAPS, "root",
                                NativePassword.proof("guess", c.scramble), null, "mysql_native_password");
                        r[rnd.nextInt(r.length)] = (byte) rnd.nextInt(256);
                        c.send(1, r);
                        done++;
                        continue; // closed by the client: the server must drop the half-done login
                    }
                    if (c.login("root", TestServer.PASSWORD, null).isErr()) {
                        continue;
                    }
                    for (int k = 0; k < 20 && done < INPUTS; k++, done++) {
                        c.out.write(FuzzInputs.mysqlPacket(rnd, QUERIES));
                    }
                    c.out.flush();
                } catch (IOException e) {
                    done++; // reset by the server
                }
            }
            await("ts.server.guards().connections().open() == 0").atMost(Duration.ofSeconds(10)).until(() -> ts.server.guards().connections().open() == 0);
            try (RawMySqlClient ok = new RawMySqlClient(ts.port())) {
                assertThat(ok.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
                assertThat(RawMySqlClient.rows(ok.query("SHOW TABLES"))).isNotEmpty();
            }
            long grown = liveHeap() - heap0;
            System.err.printf("%d inputs; live heap %+d KB%n", INPUTS, grown / 1024);
            assertThat(grown).as("live heap back near its start").isLessThan(8L << 20);
        }
    }

    private static long liveHeap() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
