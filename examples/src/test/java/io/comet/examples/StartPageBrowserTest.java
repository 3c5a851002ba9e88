package io.comet.examples;

import io.comet.test.client.ChromiumBrowser;
import io.comet.server.CometServer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's "first publish" in headless Chromium: the start page of a fresh server (no
 * {@code index.html} in {@code base_dir}) shows a row inserted into {@code pipes_messages} over
 * CometQL, and its button publishes from the page (the server's delivery report comes back).
 */
class StartPageBrowserTest {

    @BeforeAll
    static void chromium() {
        ChromiumBrowser.requireChromium();
    }

    @Test
    void theStartPageShowsWhatTheBackendPublishes(@TempDir Path baseDir) throws Exception {
        try (CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0).password("pw")
                .baseDir(baseDir).webThreads(2).start();
             ChromiumBrowser b = ChromiumBrowser.open("start-page", false);
             Connection c = DriverManager.getConnection(comet.jdbcUrl(), "root", "pw");
             Statement st = c.createStatement()) {
            b.get(comet.pageUrl());
            b.awaitText("#status", "connected");
            awaitSubscriber(st);
            st.executeUpdate("INSERT INTO pipes_messages (name, event, message) VALUES ('web_demo', 'message', 'hello')");
            b.awaitText("#feed p", "message: hello");
            b.click("#send");
            b.awaitText("#feed p", "sent: hello from the page");
            b.await("#report[data-delivered]");
            b.screenshot("start-page.png");
        }
    }

    private static void awaitSubscriber(Statement st) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (ResultSet rs = st.executeQuery("SELECT users FROM pipes WHERE name = 'web_demo'")) {
                if (rs.next() && rs.getInt(1) >= 1) {
                    return;
                }
            }
        }
        throw new AssertionError("the start page never subscribed to web_demo");
    }
}
