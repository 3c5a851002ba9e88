package io.comet.servlet;

import static io.comet.test.client.Waits.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.comet.test.CometServerExtension;
import io.comet.test.client.ChromiumBrowser;
import io.comet.test.client.ClientPaths;
import io.comet.test.client.CometWsClient;
import io.comet.test.client.WsFrame;
import io.comet.transport.WebConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What Comet mounted in a servlet container must show, run once per container (Jetty 12, Tomcat
 * 11): an existing web application at {@value #CONTEXT} keeps serving its own servlet, and on the
 * same port browsers get Comet's WebSocket endpoint and client. The engine and its CometQL
 * listener are a {@code CometServer} of the test kit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ServletContainerContract {

    static final String CONTEXT = "/app";

    @RegisterExtension
    static final CometServerExtension comet = new CometServerExtension();

    private int port;

    /** Starts the container on an ephemeral port of 127.0.0.1 with {@code app} at {@value #CONTEXT}, calling {@code install} as the context starts. */
    abstract int start(HttpServlet app, Installer install) throws Exception;

    abstract void stop() throws Exception;

    /** What the application calls while its context starts. */
    interface Installer {
        void install(ServletContext context, ServerContainer container);
    }

    @BeforeAll
    void startContainer() throws Exception {
        port = start(new AppServlet(), (context, container) ->
                CometServlet.install(context, container, comet.engine(), WebConfig.DEFAULT));
    }

    @AfterAll
    void stopContainer() throws Exception {
        stop();
    }

    private CometWsClient browser(Object userId, String key, String uuid) throws IOException {
        return comet.track(CometWsClient.open(port, CONTEXT + ClientPaths.v4(userId, key, uuid)));
    }

    @Test
    void theApplicationsOwnServletAndTheBundledClientShareThePort() throws Exception {
        assertThat(get("/hello").body()).isEqualTo("the app itself");
        HttpResponse<String> js = get("/comet.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("javascript"));
        assertThat(js.body()).contains("cometServerApi");
        assertThat(get("/CometServerApi.js").body()).isEqualTo(js.body());
    }

    @Test
    void aCometQlPublishReachesAWebSocketSubscriberOnTheContainersPort() throws Exception {
        CometWsClient c = browser(0, "", "servlet0123456789abcdefghijklmno");
        assertThat(c.handshake()).startsWith("HTTP/1.1 101");
        assertThat(c.await("sys", "serverInfo")).containsEntry("authorized", false);
        c.subscribe("web_servlet");
        comet.awaitSubscribers("web_servlet", 1);
        comet.cometql().publish("web_servlet", "message", "hello through the container");
        assertThat(c.awaitData("web_servlet", "message")).isEqualTo("hello through the container");
    }

    @Test
    void authorizationBrowserPublishAndPrivateMessagesWorkAsOnTheNettyListener() throws Exception {
        comet.cometql().authorize(5, "key5");
        CometWsClient five = browser(5, "key5", "servlet5123456789abcdefghijklmno");
        CometWsClient other = browser(0, "", "servlet6123456789abcdefghijklmno");
        assertThat(five.await("sys", "serverInfo")).containsEntry("authorized", true);
        other.subscribe("web_room");
        comet.awaitSubscribers("web_room", 1);
        five.webPublish("web_room", "said", "{\"text\":\"hi\"}");
        Map<String, Object> m = other.await("web_room", "said");
        assertThat(m).containsEntry("data", "{\"text\":\"hi\"}").containsEntry("user_id", 5L);
        assertThat(five.await("_answer_to_web_room", "answer").get("data")).isInstanceOf(Map.class);
        comet.cometql().sendPrivate(5, "note", "for five");
        assertThat(five.awaitData("msg", "note")).isEqualTo("for five");
    }

    @Test
    void aBadUrlGetsTheErrorFrameAndABadCommandTheErrorMessage() throws Exception {
        CometWsClient bad = comet.track(CometWsClient.open(port, CONTEXT + "/ws/nothing-here"));
        assertThat(bad.await("sys", "error").get("data")).asString().contains("401");
        // closed: the Jakarta API closes with a Close frame (Tomcat then waits for the answer), not TCP alone (README)
        await("the refused connection closed").until(() -> bad.isEof() || bad.count(WsFrame.CLOSE) == 1);
        CometWsClient c = browser(0, "", "servlet7123456789abcdefghijklmno");
        c.send("web_pipe2\nweb_x\nev\n**\n\"x\"");
        assertThat(c.await("sys", "error").get("data")).asString().contains("Invalid value auth_type");
        c.subscribe("web_alive");
        comet.awaitSubscribers("web_alive", 1); // still served after the error
    }

    @Test
    void aClosedBrowserLeavesNoSession() throws Exception {
        CometWsClient c = browser(0, "", "servlet8123456789abcdefghijklmno");
        c.subscribe("web_gone");
        comet.awaitSubscribers("web_gone", 1);
        c.close();
        await("the session ends with the socket").until(() -> comet.engine().sessions().isEmpty());
    }

    @Test
    void theBundledClientInChromiumReceivesOnTheApplicationsPage() {
        ChromiumBrowser.requireChromium();
        try (ChromiumBrowser b = ChromiumBrowser.open("servlet-" + getClass().getSimpleName(), false)) {
            b.get("http://127.0.0.1:" + port + CONTEXT + "/chat.html");
            comet.awaitSubscribers("web_page", 1);
            comet.cometql().publish("web_page", "message", "to the page");
            b.awaitText("#log li", "message: to the page");
            assertThat(b.js("return CometServer().isMaster !== undefined || true;")).isEqualTo(true);
        }
        await("the page's session ended").until(() -> comet.engine().sessions().isEmpty());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + CONTEXT + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The existing application: a servlet of its own and a page using Comet on the same port. */
    static final class AppServlet extends HttpServlet {
        private static final String PAGE = "<!doctype html><html><body><ul id=\"log\"></ul>"
                + "<script src=\"" + CONTEXT + "/comet.js\"></script><script>"
                + "CometServer().start({dev_id: 0, node: location.host + '" + CONTEXT + "'});"
                + "CometServer().subscription('web_page', function (e) {"
                + "  var li = document.createElement('li'); li.textContent = e.server_info.event + ': ' + e.data;"
                + "  document.getElementById('log').appendChild(li); });"
                + "</script></body></html>";

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            boolean page = req.getServletPath().equals("/chat.html");
            resp.setContentType(page ? "text/html; charset=UTF-8" : "text/plain; charset=UTF-8");
            resp.getOutputStream().write((page ? PAGE : "the app itself").getBytes(StandardCharsets.UTF_8));
        }
    }
}
