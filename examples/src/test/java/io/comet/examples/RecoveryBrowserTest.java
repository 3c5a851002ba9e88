package io.comet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.ChromiumBrowser;
import io.comet.core.store.jdbc.TcpProxy;
import io.comet.server.CometServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * Issue [7] point 4 in headless Chromium: a page that only calls {@code start()} and
 * {@code subscription()} on the bundled comet.js, served and connected through a TCP proxy
 * ({@link TcpProxy}) in front of an embedded Comet server. The proxy cuts every connection, 30
 * messages are published over CometQL (JDBC) while the page is away, the proxy heals: the page
 * must show exactly those 30, in order, once, followed by a live one. Without recovery the 30 are
 * missing. Runs over WebSocket and, with {@code window.WebSocket} removed, over long-poll.
 */
class RecoveryBrowserTest {

    private static final String PASSWORD = "recovery-secret";
    private static final String PAGE = """
            <!doctype html>
            <meta charset="utf-8">
            <title>recovery</title>
            <script src="/comet.js"></script>
            <script>
              window.got = [];
              window.recoveries = [];
              CometServer().subscription('web_rec_browser', function (e) {
                got.push({ data: String(e.data), epoch: e.server_info.epoch, offset: e.server_info.offset });
              });
              CometServer().onRecovery(function (r) { recoveries.push(r); });
              CometServer().start({ dev_id: 0, node: location.host, nostat: true, reconnect_base: 50, reconnect_max: 400 });
            </script>
            """;

    private static Path webRoot;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void chromium() throws Exception {
        ChromiumBrowser.requireChromium();
        webRoot = Files.createTempDirectory("comet-recovery-web");
        Files.writeString(webRoot.resolve("recovery.html"), PAGE);
    }

    @AfterAll
    static void removeWebRoot() {
        if (webRoot != null) {
            WebRoot.deleteQuietly(webRoot);
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws", "lp"})
    void messagesPublishedWhileCutOffArriveExactlyOnceInOrderAfterHeal(String mode) throws Exception {
        String pipe = "web_rec_browser";
        CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).password(PASSWORD)
                .baseDir(webRoot).webThreads(2).start();
        open.add(comet);
        TcpProxy proxy = new TcpProxy("127.0.0.1", comet.webPort());
        open.add(proxy);
        try (Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", PASSWORD);
                Statement st = c.createStatement()) {
            st.executeUpdate("INSERT INTO pipes_settings (name, length) VALUES ('" + pipe + "', 100)");
            ChromiumBrowser b = ChromiumBrowser.open("recovery-" + mode, mode.equals("lp"));
            open.add(b);
            b.get("http://127.0.0.1:" + proxy.port() + "/recovery.html");
            b.until(d -> Boolean.TRUE.equals(b.js("var t = CometServer().getTransports()[0];"
                    + " return !!t && t.open && t.mode === arguments[0];", mode)));
            awaitServer("page subscribed", () -> comet.engine().subscriberCount(0, pipe) == 1);
            publish(st, pipe, "p0");
            awaitCount(b, 1);
            Map<?, ?> p0 = (Map<?, ?>) got(b).get(0);
            assertThat(p0.get("epoch")).as("positions reach the page: " + p0).isInstanceOf(String.class);
            long offset0 = ((Number) p0.get("offset")).longValue();

            proxy.refuse(); // cut: every connection dropped, new ones refused
            b.until(d -> Boolean.FALSE.equals(b.js("return CometServer().isConnected();")));
            for (int i = 1; i <= 30; i++) {
                publish(st, pipe, "a" + i);
            }
            assertThat(got(b)).as("nothing reaches the page while it is cut off").hasSize(1);
            proxy.restore(); // heal
            awaitCount(b, 31);
            publish(st, pipe, "live");
            awaitCount(b, 32);

            List<String> expected = new ArrayList<>(List.of("p0"));
            IntStream.rangeClosed(1, 30).forEach(i -> expected.add("a" + i));
            expected.add("live");
            List<Object> got = got(b);
            assertThat(got.stream().map(m -> String.valueOf(((Map<?, ?>) m).get("data"))).toList())
                    .as("exactly the 30, in order, once").containsExactlyElementsOf(expected);
            assertThat(got.stream().map(m -> ((Number) ((Map<?, ?>) m).get("offset")).longValue()).toList())
                    .as("contiguous offsets").containsExactlyElementsOf(IntStream.rangeClosed(0, 31).mapToObj(i -> offset0 + i).toList());
            List<?> recoveries = (List<?>) b.js("return window.recoveries;");
            assertThat(recoveries).hasSize(1);
            Map<?, ?> r = (Map<?, ?>) recoveries.get(0);
            assertThat(r.get("recovered")).isEqualTo(true);
            assertThat(r.get("pipe")).isEqualTo(pipe);
            assertThat(((Number) r.get("offset")).longValue()).isEqualTo(offset0 + 30);
            b.screenshot("recovery-" + mode);
        }
    }

    private static void publish(Statement st, String pipe, String text) throws Exception {
        st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('" + pipe + "', 'n', '" + text + "')");
    }

    @SuppressWarnings("unchecked")
    private static List<Object> got(ChromiumBrowser b) {
        return (List<Object>) b.js("return window.got;");
    }

    private static void awaitCount(ChromiumBrowser b, int n) {
        b.until(d -> ((Number) b.js("return window.got.length;")).intValue() >= n);
    }

    private static void awaitServer(String what, BooleanSupplier condition) {
        new FluentWait<>(condition).withTimeout(ChromiumBrowser.TIMEOUT).pollingEvery(Duration.ofMillis(20))
                .withMessage(what).until(BooleanSupplier::getAsBoolean);
    }
}
