package io.comet.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.comet.server.CometServer;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher main's command line, and the backend alone against a Comet server it did not start. */
class ExamplesTest {

    @Test
    void parsesTheCommandLine() {
        Examples.Options o = Examples.parse(new String[] {"notify", "--ws-port", "0", "--password", "pw"});
        assertThat(o).isEqualTo(new Examples.Options("notify", "127.0.0.1", 0, 3300, 8080, "pw", null, null));
        assertThat(Examples.parse(new String[] {"backend", "--comet", "h:8087", "--cometql", "h:3300"}).externalCometQl())
                .isEqualTo("h:3300");
        assertThatThrownBy(() -> Examples.parse(new String[] {})).hasMessageContaining("which example");
        assertThatThrownBy(() -> Examples.parse(new String[] {"chat", "--ws-port", "70000"}))
                .hasMessage("--ws-port: 70000 (expected: 0..65535)");
        assertThatThrownBy(() -> Examples.parse(new String[] {"backend"})).hasMessageContaining("--comet HOST:PORT");
        assertThatThrownBy(() -> Examples.parse(new String[] {"chat", "--bogus"})).hasMessage("unknown argument: --bogus");
    }

    @Test
    void backendAloneTalksToAnExistingCometServer() throws Exception {
        Path web = WebRoot.extract();
        try (CometServer comet = CometServer.builder().ip("127.0.0.1").webPort(0).cometqlPort(0)
                     .password("pw").baseDir(web).webThreads(2).start();
             Examples.Running app = Examples.start(new Examples.Options("backend", "127.0.0.1", 0, 0, 0, "pw",
                     comet.node(), "127.0.0.1:" + comet.cometqlPort()), web)) {
            assertThat(app.comet()).isNull();
            HttpClient c = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
            String base = "http://127.0.0.1:" + app.backend().port();
            HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/api/login"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("login=masha&pass=qwerty")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(comet.engine().accounts().authHash(0, 5).join()).isPresent();
            assertThat(c.send(HttpRequest.newBuilder(URI.create(base + "/env.js")).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).contains(comet.node());
        }
    }
}
