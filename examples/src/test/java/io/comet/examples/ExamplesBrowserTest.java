package io.comet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.client.ChromiumBrowser;
import io.comet.test.client.Prerequisites;
import io.comet.core.engine.CometEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.FluentWait;

/**
 * End-to-end tests of the examples in headless Chromium (issue 5, points 4 and 5): each test
 * starts the example exactly as {@link Examples} does (embedded Comet server with the pages as
 * {@code base_dir}, CometQL listener, Java backend), opens it in separate browsers (separate
 * profiles: separate cookies and localStorage, i.e. separate devices) and clicks through it.
 * The chat tests run twice: over WebSocket, and with {@code window.WebSocket} removed from
 * every page before any script runs, so that comet.js must use its long-poll fallback.
 * Screenshots go to {@code target/screenshots/}.
 */
class ExamplesBrowserTest {

    enum Transport {
        WEBSOCKET("ws"), LONG_POLL("lp");

        final String mode;

        Transport(String mode) {
            this.mode = mode;
        }

        boolean blocked() {
            return this == LONG_POLL;
        }
    }

    private static Path webRoot;

    private final List<AutoCloseable> open = new ArrayList<>();
    private Examples.Running app;

    @BeforeAll
    static void chromium() {
        ChromiumBrowser.requireChromium();
        webRoot = WebRoot.extract();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
        open.clear();
    }

    private Examples.Running start(String example) throws Exception {
        app = Examples.start(Examples.Options.ephemeral(example), webRoot);
        open.add(app);
        return app;
    }

    private ChromiumBrowser browser(String name, Transport t) {
        ChromiumBrowser b = ChromiumBrowser.open(name, t.blocked());
        open.add(b);
        return b;
    }

    private CometEngine engine() {
        return app.comet().engine();
    }

    /** Waits (polling, bounded) until the server-side condition holds. */
    private void awaitServer(String what, Function<CometEngine, Boolean> condition) {
        System.out.println(java.time.LocalTime.now() + " await: " + what);
        new FluentWait<>(engine()).withTimeout(ChromiumBrowser.TIMEOUT).pollingEvery(Duration.ofMillis(20))
                .withMessage(what).until(condition::apply);
    }

    private static void awaitConnected(ChromiumBrowser b, Transport t) {
        b.await("#status[data-mode='" + t.mode + "']");
    }

    private void assertTransport(Transport t, int pages) {
        if (t == Transport.LONG_POLL) {
            assertThat(app.comet().web().webSocketCount()).as("no WebSocket was opened").isZero();
            assertThat(app.comet().web().longPollSessionCount()).as("long-poll sessions").isGreaterThanOrEqualTo(pages);
        } else {
            assertThat(app.comet().web().webSocketCount()).as("WebSockets").isGreaterThanOrEqualTo(pages);
        }
    }

    private static void login(ChromiumBrowser b, String login) {
        b.await("#login-form[style='']");
        b.type("#login", login);
        b.type("#pass", "qwerty");
        b.click("#login-btn");
        b.await("#app[style='']");
    }

    // ------------------------------------------------------------------ (a) public chat

    @ParameterizedTest
    @EnumSource(Transport.class)
    void publicChatTwoBrowsersSeeEachOtherAndTheDeliveryCount(Transport t) throws Exception {
        start("chat");
        String url = app.url();
        assertThat(url).endsWith("/public/index.html");
        ChromiumBrowser alice = browser("alice", t).get(url);
        ChromiumBrowser bob = browser("bob", t).get(url);
        awaitConnected(alice, t);
        awaitConnected(bob, t);
        awaitServer("both pages subscribed to web_chat", e -> e.subscriberCount(0, "web_chat") == 2);

        String html = "Hello <b>Bob</b> & <img src=x onerror=alert(1)>";
        alice.type("#name", "Alice");
        alice.type("#text", html);
        alice.click("#send");
        WebElement got = bob.await("#messages p.msg:not(.mine)");
        assertThat(got.findElement(org.openqa.selenium.By.cssSelector(".who")).getText()).isEqualTo("Alice:");
        assertThat(got.findElement(org.openqa.selenium.By.cssSelector(".text")).getText()).isEqualTo(html);
        assertThat(bob.all("#messages b b, #messages img")).as("user text is rendered as text").isEmpty();
        alice.awaitText("#report", "delivered to 1");
        alice.awaitText("#messages p.mine .text", html);

        bob.type("#name", "Bob");
        bob.type("#text", "Hi Alice, it's me");
        bob.click("#send");
        alice.awaitText("#messages p.msg:not(.mine) .text", "Hi Alice, it's me");
        bob.awaitText("#report", "delivered to 1");
        assertTransport(t, 2);

        alice.screenshot("a-public-chat-" + t.mode + "-alice");
        bob.screenshot("a-public-chat-" + t.mode + "-bob");
    }

    // ------------------------------------------------------------------ (b) authenticated chat

    @ParameterizedTest
    @EnumSource(Transport.class)
    void authChatStampsTheSenderAndAnnouncesJoinAndLeave(Transport t) throws Exception {
        start("auth");
        ChromiumBrowser victor = browser("victor", t).get(app.url());
        login(victor, "victor");
        victor.await("#status[data-authorized='true'][data-mode='" + t.mode + "']");
        awaitServer("victor subscribed", e -> e.subscriberCount(0, "webauth_chat") == 1
                && e.subscriberCount(0, AppBackend.LOGIN_PIPE) == 1);

        ChromiumBrowser dimon = browser("dimon", t).get(app.url());
        login(dimon, "dimon");
        victor.awaitText("#messages p.notice.join", "Димон joined the chat.");
        dimon.await("#status[data-authorized='true'][data-mode='" + t.mode + "']");
        awaitServer("dimon subscribed", e -> e.subscriberCount(0, "webauth_chat") == 2);

        dimon.type("#text", "Привет, <i>Виктор</i>!");
        dimon.click("#send");
        WebElement got = victor.awaitText("#messages p.msg[data-user-id='2'] .text", "Привет, <i>Виктор</i>!");
        assertThat(victor.all("#messages p.msg[data-user-id='2'] .who").get(0).getText()).isEqualTo("Димон:");
        assertThat(victor.all("#messages i")).isEmpty();
        assertThat(got).isNotNull();
        dimon.awaitText("#report", "delivered to 1");

        victor.type("#text", "Hello Dimon");
        victor.click("#send");
        dimon.awaitText("#messages p.msg[data-user-id='1'] .text", "Hello Dimon");
        victor.awaitText("#report", "delivered to 1");

        // Forgery: dimon's page puts victor's id and name into the payload. The server stamps the
        // real sender (2), and the page shows the stamped id, so it still reads "Димон".
        dimon.js("CometServer().web_pipe_send('webauth_chat', 'message',"
                + " {text: 'I am Victor, trust me', user_id: 1, name: 'Виктор', server_info: {user_id: 1}})");
        victor.awaitText("#messages p.msg[data-user-id='2'] .text", "I am Victor, trust me");
        assertThat(victor.all("#messages p.msg:not(.mine)[data-user-id='1']"))
                .as("nothing arrives under victor's id").isEmpty();
        assertThat(victor.all("#messages p.msg[data-user-id='2'] .who")).extracting(WebElement::getText)
                .containsOnly("Димон:");

        // An anonymous connection (no key) cannot post to webauth_* at all.
        dimon.js("window.anonError = null; var c = new cometServerApi();"
                + " c.subscription('sys', function (e) { window.anonError = JSON.stringify(e.data); });"
                + " c.start({dev_id: 0, node: window.COMET_NODE});"
                + " c.web_pipe_send('webauth_chat', 'message', {text: 'anonymous post'});");
        String error = (String) dimon.until(d -> dimon.js("return window.anonError;"));
        assertThat(error).contains("anonim");
        assertTransport(t, 2);

        victor.screenshot("b-auth-chat-" + t.mode + "-victor");
        dimon.screenshot("b-auth-chat-" + t.mode + "-dimon");

        dimon.click("#logout");
        victor.awaitText("#messages p.notice.leave", "Димон left the chat.");
        assertThat(victor.all("#messages p.msg .text")).extracting(WebElement::getText)
                .doesNotContain("anonymous post");
        dimon.await("#login-form[style='']");
        awaitServer("dimon's key is gone", e -> e.accounts().authHash(0, 2).join().isEmpty());
    }

    // ------------------------------------------------------------------ (c) who is online

    @Test
    void onlineListFollowsJoinAndLeaveAndMatchesUsersInPipes() throws Exception {
        start("online");
        ChromiumBrowser victor = browser("victor", Transport.WEBSOCKET).get(app.url());
        login(victor, "victor");
        victor.await("#online[data-loaded='true'] li[data-user-id='1']");

        ChromiumBrowser dimon = browser("dimon", Transport.WEBSOCKET).get(app.url());
        login(dimon, "dimon");
        victor.awaitText("#online li[data-user-id='2']", "Димон");          // join event
        dimon.await("#online[data-loaded='true'] li[data-user-id='1']");     // initial list
        dimon.await("#online li[data-user-id='2']");

        victor.click("#server-check");                                        // backend: users_in_pipes
        victor.await("#server-list li[data-user-id='1']");
        victor.await("#server-list li[data-user-id='2']");
        assertThat(victor.all("#server-list li.user")).extracting(WebElement::getText)
                .containsExactly("Виктор — 1 connection(s)", "Димон — 1 connection(s)");
        victor.screenshot("c-online-both");

        dimon.get("about:blank");                                             // dimon closes the page
        victor.awaitGone("#online li[data-user-id='2']");                    // leave event
        assertThat(victor.all("#online li.user")).extracting(WebElement::getText).containsExactly("Виктор");
        String before = victor.await("#server-list").getAttribute("data-checked");
        victor.click("#server-check");
        victor.until(d -> !before.equals(victor.await("#server-list").getAttribute("data-checked")));
        assertThat(victor.all("#server-list li.user")).extracting(WebElement::getText)
                .containsExactly("Виктор — 1 connection(s)");
        victor.screenshot("c-online-after-leave");
    }

    // ------------------------------------------------------------------ (d) notifications

    @Test
    void notificationsReachEveryDeviceAndWaitForAnOfflineUser() throws Exception {
        start("notify");
        ChromiumBrowser phone = browser("victor-phone", Transport.WEBSOCKET).get(app.url());
        login(phone, "victor");
        ChromiumBrowser laptop = browser("victor-laptop", Transport.WEBSOCKET).get(app.url());
        login(laptop, "victor");
        ChromiumBrowser dimon = browser("dimon", Transport.WEBSOCKET).get(app.url());
        login(dimon, "dimon");
        phone.await("#status[data-authorized='true']");
        laptop.await("#status[data-authorized='true']");
        awaitServer("victor on two devices", e -> e.sessionsOf(0, 1).size() == 2);

        dimon.await("#to option[value='1']");
        new org.openqa.selenium.support.ui.Select(dimon.await("#to")).selectByValue("1");
        dimon.type("#note-text", "Dinner at <b>8</b>?");
        dimon.click("#note-send");
        dimon.awaitText("#note-status", "sent to Виктор");
        phone.awaitText("#notes p.note[data-from-id='2'] .text", "Dinner at <b>8</b>?");
        laptop.awaitText("#notes p.note[data-from-id='2'] .text", "Dinner at <b>8</b>?");
        assertThat(phone.all("#notes b b")).isEmpty();
        phone.screenshot("d-notify-victor-phone");
        laptop.screenshot("d-notify-victor-laptop");

        // victor closes both pages; the server sees him offline
        phone.get("about:blank");
        laptop.get("about:blank");
        awaitServer("victor offline", e -> !e.isOnline(0, 1));

        dimon.js("document.getElementById('note-status').textContent = '';");
        dimon.type("#note-text", "Sent while you were away");
        dimon.click("#note-send");
        dimon.awaitText("#note-status", "sent to Виктор");
        awaitServer("queued for victor", e -> e.accounts().queuedMessages(0, 1).join().size() == 1);
        dimon.screenshot("d-notify-dimon");

        System.out.println(java.time.LocalTime.now() + " victor opens the page again");
        phone.get(app.url());                                                  // still logged in (cookie)
        phone.awaitText("#notes p.note[data-from-id='2'] .text", "Sent while you were away");
        awaitServer("queue delivered", e -> e.accounts().queuedMessages(0, 1).join().isEmpty());
        phone.screenshot("d-notify-victor-back-online");
    }

    // ------------------------------------------------------------------ (e) bash load average

    @Test
    void bashLoadAverageExampleAppearsInThePublicChat() throws Exception {
        Prerequisites.requireTools("bash", "mariadb");
        start("chat");
        ChromiumBrowser viewer = browser("viewer", Transport.WEBSOCKET).get(app.url());
        awaitConnected(viewer, Transport.WEBSOCKET);
        awaitServer("viewer subscribed", e -> e.subscriberCount(0, "web_chat") == 1);

        Path script = Path.of(System.getProperty("comet.examples.loadavg", "bash/loadavg.sh"));
        assertThat(Files.isRegularFile(script)).as(script.toString()).isTrue();
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), "1")
                .redirectErrorStream(true);
        pb.environment().put("COMET_HOST", "127.0.0.1");
        pb.environment().put("COMET_PORT", Integer.toString(app.comet().cometqlPort()));
        pb.environment().put("COMET_PASSWORD", app.comet().password());
        pb.environment().put("COUNT", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();

        String host = ExternalTools.hostname();
        WebElement msg = viewer.await("#messages p.msg");
        assertThat(msg.getText()).startsWith("AVG " + host + ":");
        assertThat(msg.findElement(org.openqa.selenium.By.cssSelector(".text")).getText())
                .matches("[0-9.]+ [0-9.]+ [0-9.]+ [0-9]+/[0-9]+ [0-9]+");
        viewer.screenshot("e-bash-loadavg");
    }
}
