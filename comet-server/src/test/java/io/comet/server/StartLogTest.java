package io.comet.server;

import static io.comet.test.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import io.comet.test.client.Prerequisites;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first ten minutes: the start log says once where the page is and gives a {@code mysql}
 * command that publishes to it, with the password only when it was generated at this start. The
 * test logger (slf4j-simple) writes to whatever {@code System.err} is at the time.
 */
class StartLogTest {

    private static final String TRY_IT = "Try it: open ";

    @Test
    void aGivenPasswordIsMaskedAndTheLineComesOnce() {
        String[] log = new String[1];
        try (CometServer comet = CapturedLog.captured(log, CometServerTest::start)) {
            List<String> lines = tryItLines(log[0]);
            assertThat(lines).hasSize(1);
            assertThat(lines.get(0)).contains(TRY_IT + "http://127.0.0.1:" + comet.webPort() + "/ ")
                    .contains("mysql -h127.0.0.1 -P" + comet.cometqlPort() + " -uroot -p -e \"INSERT INTO pipes_messages")
                    .doesNotContain("pw");
        }
    }

    @Test
    void aGeneratedPasswordIsShownAndTheCommandPublishesAsPrinted(@TempDir Path tmp) throws Exception {
        String[] log = new String[1];
        try (CometServer comet = CapturedLog.captured(log, () -> CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0)
                .webThreads(1).start())) {
            List<String> lines = tryItLines(log[0]);
            assertThat(lines).hasSize(1);
            String command = lines.get(0).substring(lines.get(0).indexOf("mysql "));
            assertThat(command).isEqualTo(comet.mysqlCommand(true)).contains("-p'" + comet.password() + "'");
            Prerequisites.requireTools("mysql");
            try (CometWsClient b = CometWsClient.open(comet.webPort(), ClientPaths.v4(0, "", "serverTest0123456789abcdefghijklm"));
                 var c = java.sql.DriverManager.getConnection(comet.jdbcUrl(), "root", comet.password());
                 var st = c.createStatement()) {
                b.subscribe("web_demo");
                await("web_demo subscribed").until(() -> comet.engine().subscriberCount(0, "web_demo") == 1);
                Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("mysql.out").toFile()).start();
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as(Files.readString(tmp.resolve("mysql.out"))).isZero();
                assertThat(b.awaitLine("web_demo")).contains("\"data\":\"hello\"");
            }
        }
    }


    private static List<String> tryItLines(String log) {
        return log.lines().filter(l -> l.contains(TRY_IT)).toList();
    }
}
