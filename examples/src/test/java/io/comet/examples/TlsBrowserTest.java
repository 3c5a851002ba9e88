package io.comet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.server.CometServer;
import io.comet.test.client.ChromiumBrowser;
import io.comet.tls.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 15 point 1 in headless Chromium: a page served over {@code https://} from a server whose
 * only port is TLS (a certificate of a CA made at test time; Chromium trusts exactly that key
 * through {@code --ignore-certificate-errors-spki-list}) loads {@code /CometServerApi.js}, the
 * client connects with {@code wss://} (the client's choice on an https page) and, with
 * {@code window.WebSocket} removed, long-polls over HTTPS; a CometQL publish reaches the page.
 */
class TlsBrowserTest {

    private static final String PASSWORD = "tls-secret";
    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <title>tls</title>
            <script src="/CometServerApi.js"></script>
            <div id="out"></div>
            <script>
              CometServer().subscription('web_tls_page', function (e) {
                var d = document.createElement('div'); d.className = 'msg'; d.textContent = String(e.data);
                document.getElementById('out').appendChild(d);
              });
              CometServer().start({ dev_id: 0, node: location.host, nostat: true });
            </script>
            """;

    private static Path dir;

    @BeforeAll
    static void chromium() throws Exception {
        ChromiumBrowser.requireChromium();
        dir = Files.createTempDirectory("comet-tls-web");
        Files.createDirectory(dir.resolve("www"));
        Files.writeString(dir.resolve("www/tls.html"), PAGE);
    }

    @AfterAll
    static void remove() {
        if (dir != null) {
            WebRoot.deleteQuietly(dir);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "lp"})
    void theClientOnAnHttpsPageConnectsOverTlsAndReceivesAPublish(String mode) throws Exception {
        TestCa ca = TestCa.create(Files.createTempDirectory(dir, "ca"));
        TestCa.Issued cert = ca.issue("web", "localhost");
        try (CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).password(PASSWORD)
                .baseDir(dir.resolve("www")).webThreads(2).webTls(cert.files(Duration.ZERO)).start();
             ChromiumBrowser b = ChromiumBrowser.open("tls-" + mode, mode.equals("lp"), "--ignore-certificate-errors-spki-list=" + cert.spkiSha256());
             Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", PASSWORD);
             Statement st = c.createStatement()) {
            b.get("https://localhost:" + comet.webPort() + "/tls.html");
            assertThat(b.js("return location.protocol;")).isEqualTo("https:");
            b.until(d -> Boolean.TRUE.equals(b.js("var t = CometServer().getTransports()[0];"
                    + " return !!t && t.open && t.mode === arguments[0];", mode)));
            if (mode.equals("ws")) {
                assertThat(b.js("return CometServer()._conns[0].ws.url; // the socket the client opened")).asString().startsWith("wss://localhost:");
                assertThat(comet.web().webSocketCount()).isEqualTo(1);
            } else {
                assertThat(comet.web().longPollSessionCount()).isEqualTo(1);
                assertThat(comet.web().webSocketCount()).isZero();
            }
            b.until(d -> comet.engine().subscriberCount(0, "web_tls_page") == 1);
            st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_tls_page', 'n', 'secure hello')");
            b.awaitText("#out .msg", "secure hello");
            b.screenshot("tls-" + mode);
        }
    }
}
