package io.comet.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.comet.core.ConnectRequest;
import io.comet.core.engine.InProcessClient;
import io.comet.core.Message;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java backend over HTTP, without a browser: login rules, CometQL side effects, refusals. */
class AppBackendTest {

    static Path web;
    static Examples.Running app;
    static String base;

    @BeforeAll
    static void start() throws Exception {
        web = WebRoot.extract();
        app = Examples.start(Examples.Options.ephemeral("auth"), web);
        base = "http://127.0.0.1:" + app.backend().port();
    }

    @AfterAll
    static void stop() {
        app.close();
    }

    private static HttpResponse<String> post(HttpClient c, String path, String form) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient c, String path) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().cookieHandler(new java.net.CookieManager()).build();
    }

    @Test
    void loginStoresTheKeyInUsersAuthAndAnnouncesTheUser() throws Exception {
        InProcessClient watcher = app.comet().engine().connectInProcess(ConnectRequest.anonymous(0, "watcher"));
        watcher.subscribe(List.of(AppBackend.LOGIN_PIPE));
        HttpClient c = client();
        assertThat(post(c, "/api/login", "login=olga&pass=wrong").statusCode()).isEqualTo(401);
        HttpResponse<String> ok = post(c, "/api/login", "login=olga&pass=qwerty");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"id\":3", "\"name\":\"Оля\"");
        String key = app.comet().engine().accounts().authHash(0, 3).join().orElseThrow();
        assertThat(ok.body()).contains("\"key\":\"" + key + "\"");
        assertThat(key).matches("[A-Za-z0-9]{32}");
        Message join = watcher.await(m -> m.event().equals("userLogin"), Duration.ofSeconds(5));
        assertThat(join.text()).isEqualTo("{\"id\":3,\"name\":\"Оля\"}");
        assertThat(get(c, "/api/me").body()).contains("\"id\":3");

        assertThat(post(c, "/api/logout", "").statusCode()).isEqualTo(200);
        assertThat(watcher.await(m -> m.event().equals("userExit"), Duration.ofSeconds(5)).text()).contains("Оля");
        assertThat(app.comet().engine().accounts().authHash(0, 3).join()).as("last session gone: key deleted").isEmpty();
        assertThat(get(c, "/api/me").body()).isEqualTo("{\"id\":0}");
        watcher.disconnect();
    }

    @Test
    void notifyNeedsALoginAndAKnownUser() throws Exception {
        HttpClient c = client();
        assertThat(post(c, "/api/notify", "to=1&text=hi").statusCode()).isEqualTo(401);
        post(c, "/api/login", "login=kate&pass=qwerty");
        assertThat(post(c, "/api/notify", "to=99&text=hi").statusCode()).isEqualTo(400);
        assertThat(post(c, "/api/notify", "to=5&text=%20").statusCode()).isEqualTo(400);
        assertThat(post(c, "/api/notify", "to=5&text=it%27s%20%3Cb%3Eme%3C%2Fb%3E").statusCode()).isEqualTo(200);
        assertThat(app.comet().engine().accounts().queuedMessages(0, 5).join()).singleElement()
                .satisfies(q -> assertThat(q.text()).contains("\"from\":\"Катя\"", "\"text\":\"it\\u0027s <b>me</b>\""));
    }

    @Test
    void servesPagesButNothingOutsideTheWebRoot() throws Exception {
        HttpClient c = client();
        assertThat(get(c, "/auth/index.html").statusCode()).isEqualTo(200);
        assertThat(get(c, "/env.js").body()).contains("COMET_NODE = \"" + app.comet().node() + "\"");
        assertThat(get(c, "/%2e%2e/%2e%2e/etc/passwd").statusCode()).isEqualTo(404);
        assertThat(get(c, "/files.txt").statusCode()).isEqualTo(404);
        assertThat(get(c, "/api/login").statusCode()).isEqualTo(405);
    }
}
