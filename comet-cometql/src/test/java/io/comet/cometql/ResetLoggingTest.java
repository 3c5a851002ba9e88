package io.comet.cometql;

import static io.comet.test.client.Waits.await;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Issue 13 point 6: an authenticated client that resets its connection during pipelined replies
 * logs no stack trace (it logged 43 lines each: the write failure reached the pipeline's tail).
 */
class ResetLoggingTest {

    @Test
    void resetDuringPipelinedRepliesLogsNoStackTrace() throws Exception {
        PrintStream old = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new OutputStream() {
            @Override
            public void write(int b) {
                buf.write(b);
                old.write(b);
            }
        }, true, StandardCharsets.UTF_8));
        try (TestServer ts = new TestServer()) {
            for (int i = 0; i < 10; i++) {
                RawMySqlClient c = new RawMySqlClient(ts.port());
                c.socket.setReceiveBufferSize(2048);
                c.login("root", TestServer.PASSWORD, null);
                ByteArrayOutputStream many = new ByteArrayOutputStream();
                for (int k = 0; k < 300; k++) {
                    many.write(RawMySqlClient.frame(0, RawMySqlClient.command(3, "SHOW GLOBAL STATUS")));
                }
                c.out.write(many.toByteArray());
                c.out.flush();
                c.socket.setSoLinger(true, 0);
                c.close();
            }
            await("ts.engine.stats().backendOnline() == 0").atMost(Duration.ofSeconds(10)).until(() -> ts.engine.stats().backendOnline() == 0);
            try (RawMySqlClient ok = new RawMySqlClient(ts.port())) {
                assertThat(ok.login("root", TestServer.PASSWORD, null).isErr()).isFalse();
            }
        } finally {
            System.setErr(old);
        }
        String log = buf.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain("\tat ").doesNotContain("reached at the tail of the pipeline");
    }
}
