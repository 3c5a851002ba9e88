package io.comet.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.comet.cometql.CometQlConfig;
import io.comet.tls.TestCa;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15 point 3, the secure defaults: a server built with no address keeps CometQL on
 * loopback (unreachable through the machine's other addresses), the browser port on every
 * interface with one WARN that it is plain text; an explicit {@code 0.0.0.0} for CometQL works as
 * in the original and warns; with TLS (required on CometQL) neither warns.
 */
class SecureDefaultsTest {

    private static final String CQL_WARN = "CometQL on ";
    private static final String WEB_WARN = "HTTP/WebSocket on 0.0.0.0:";

    @TempDir
    Path dir;

    @Test
    void cometQlListensOnLoopbackUnlessConfiguredAndThePlainBrowserPortWarns() throws Exception {
        String[] log = new String[1];
        try (CometServer comet = CapturedLog.captured(log, () -> CometServer.builder().webPort(0).cometqlPort(0).webThreads(1)
                .password("pw").start())) {
            assertThat(comet.cometql().config().ip()).isEqualTo("127.0.0.1");
            assertThat(comet.web().config().ip()).isEqualTo("0.0.0.0");
            assertThat(reachable("127.0.0.1", comet.cometqlPort())).isTrue();
            InetAddress other = nonLoopbackAddress();
            assertThat(reachable(other.getHostAddress(), comet.cometqlPort())).as("CometQL through " + other).isFalse();
            assertThat(reachable(other.getHostAddress(), comet.webPort())).as("browser port through " + other).isTrue();
            assertThat(log[0]).contains("WARN").contains(WEB_WARN + comet.webPort() + " is plain text on a non-loopback interface")
                    .doesNotContain(CQL_WARN + "127.0.0.1");
        }
    }

    @Test
    void anExplicitAllInterfacesAddressKeepsWorkingAndWarnsWhilePlain() throws Exception {
        String[] log = new String[1];
        try (CometServer comet = CapturedLog.captured(log, () -> CometServer.builder().webPort(0).webThreads(1).password("pw")
                .cometql(CometQlConfig.builder().ip("0.0.0.0").port(0).build()).start())) {
            InetAddress other = nonLoopbackAddress();
            assertThat(reachable(other.getHostAddress(), comet.cometqlPort())).isTrue();
            assertThat(log[0]).contains(CQL_WARN + "0.0.0.0:" + comet.cometqlPort()
                    + " is plain text on a non-loopback interface").contains("require_tls = true");
        }
    }

    @Test
    void withTlsOnBothPortsNothingWarns() throws Exception {
        TestCa ca = TestCa.create(dir);
        TestCa.Issued web = ca.issue("web", "web");
        TestCa.Issued ql = ca.issue("ql", "ql");
        String[] log = new String[1];
        try (CometServer comet = CapturedLog.captured(log, () -> CometServer.builder().webPort(0).webThreads(1).password("pw")
                .webTls(web.files(Duration.ZERO)).cometql(CometQlConfig.builder().ip("0.0.0.0").port(0)
                        .tls(ql.files(Duration.ZERO)).requireTls(true).build()).start())) {
            assertThat(log[0]).doesNotContain("on a non-loopback interface").contains("TLS required");
        }
        // TLS offered but not required still lets passwords travel in the clear: warned
        try (CometServer comet = CapturedLog.captured(log, () -> CometServer.builder().webPort(0).webThreads(1).password("pw")
                .webTls(web.files(Duration.ZERO)).cometql(CometQlConfig.builder().ip("0.0.0.0").port(0)
                        .tls(ql.files(Duration.ZERO)).build()).start())) {
            assertThat(log[0]).contains("accepts plain-text logins (TLS not required) on a non-loopback interface")
                    .doesNotContain(WEB_WARN);
        }
        assertThatThrownBy(() -> CometQlConfig.builder().requireTls(true).build()).hasMessageContaining("needs a TLS certificate");
    }

    /** An IPv4 address of this machine that is not loopback (the test needs one). */
    private static InetAddress nonLoopbackAddress() throws IOException {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return a;
                }
            }
        }
        assumeTrue(false, "this machine has no non-loopback IPv4 address");
        return null;
    }

    private static boolean reachable(String ip, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
